"""The compare page (pick saved audits or upload versions → a printable comparison at a
permanent link) and the scorecard's "how this policy compares" block.

The block is its own template (``_peers.html.j2``), included in the scorecard page with one
line; it calls ``peers_of(card)``, registered here on the pages' Jinja environment.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from starlette.formparsers import MultiPartException

from policy_audit import Comparison, PolicyAuditError, Scorecard, comparison_html_body

from . import comparison_store as store
from . import web
from .comparisons import audit_ids_of, read_versions
from .problems import Problem
from .responses import scoring
from .security import check_same_origin
from .settings import Settings

UPLOAD_SLOTS = 3  # file inputs on the form; more versions: saved audits, or the API


def _stylesheet() -> str:
    templates = resources.files("policy_audit.compare") / "templates"
    return "\n".join((templates / name).read_text("utf-8")
                     for name in ("comparison.css", "ranking.css"))


def peers_of(card: Scorecard) -> Markup | None:
    """The scorecard among the shipped reference set, as HTML; None if no peers."""
    from policy_audit import Reference, rank_scorecard, ranking_html_body

    ranking = rank_scorecard(card, Reference.shipped())
    if not ranking.criteria:
        return None
    return ranking_html_body(ranking)


def _form_page(request: Request, *, status: int = 200, error: str | None = None,
               audits: str = "") -> HTMLResponse:
    service = request.app.state.service
    notice = "The comparison was deleted." if request.query_params.get("deleted") else None
    return web.page("compare.html.j2", status=status, error=error, audits=audits,
                    notice=notice,
                    slots=range(1, UPLOAD_SLOTS + 1), max_versions=store.MAX_VERSIONS,
                    rubrics=sorted(service.rubrics.values(), key=lambda r: r.id))


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    web.environment().globals["peers_of"] = peers_of
    stylesheet = _stylesheet()
    form_body = UPLOAD_SLOTS * settings.max_upload_bytes + 64 * 1024

    @router.get("/assets/compare.css")
    def compare_css() -> Response:
        return Response(stylesheet, media_type="text/css",
                        headers={"Cache-Control": "public, max-age=3600",
                                 "X-Content-Type-Options": "nosniff"})

    @router.get("/compare", response_class=HTMLResponse)
    def compare_form(request: Request) -> HTMLResponse:
        audits = " ".join(audit_ids_of(" ".join(request.query_params.getlist("audit"))))
        return _form_page(request, audits=audits)

    @router.post("/compare", max_body_size=form_body)
    async def compare_submit(request: Request) -> Response:
        service = request.app.state.service
        # It scores and saves audits and sets a delete cookie, as the upload form does: the
        # same refusal of other sites' posts, before the body is read.
        check_same_origin(request, settings.trusted_origins)
        try:
            asked = await read_versions(request, settings)
            result = await scoring(request, store.create, service, asked.versions,
                                   rubric=asked.rubric, jurisdiction=asked.jurisdiction,
                                   baseline=asked.baseline)
        except MultiPartException as exc:
            return _form_page(request, status=400, error=f"The form could not be read: {exc}")
        except Problem as problem:
            return _form_page(request, status=problem.status, error=problem.detail)
        except PolicyAuditError as error:
            return _form_page(request, status=error.http_status, error=str(error))
        response = RedirectResponse(f"/comparisons/{result.row.id}", status_code=303)
        if result.delete_token:
            # As for an audit: only this browser can delete what it created, the token in
            # a cookie scoped to the comparison's path, never in a URL.
            web.set_delete_cookie(response, request, result.delete_token,
                                  f"/comparisons/{result.row.id}")
        return response

    @router.get("/comparisons/{comparison_id}", response_class=HTMLResponse)
    def comparison_page(comparison_id: str, request: Request) -> HTMLResponse:
        row = store.get(request.app.state.service, comparison_id)
        comparison = Comparison.model_validate(row.comparison)
        return web.page(
            "comparison.html.j2", cmp=comparison, row=row,
            body=comparison_html_body(comparison, links=True),
            permalink=str(request.url_for("comparison_page", comparison_id=comparison_id)),
            can_delete=row.delete_token_hash is not None
            and web.owns(request, row.delete_token_hash))

    @router.post("/comparisons/{comparison_id}/delete")
    def delete(comparison_id: str, request: Request) -> Response:
        check_same_origin(request, settings.trusted_origins)
        token = web.delete_token(request)
        if not token:
            return web.error_page(
                403,
                "Only the browser that created this comparison can delete it from this page. "
                "API users: DELETE /api/v1/comparisons/{id} with the delete token.",
            )
        store.delete(request.app.state.service, comparison_id, f"Bearer {token}")
        response = RedirectResponse("/compare?deleted=1", status_code=303)
        response.delete_cookie(web.DELETE_COOKIE, path=f"/comparisons/{comparison_id}")
        return response

    return router
