"""The browser pages: upload a policy, read its scorecard, download the amendments letter.

Server-rendered with Jinja2 (autoescaping on: policy text is always shown as text), one
stylesheet and one small script served from ``/static`` (no CDN, no build step). Every page
works without the script; the script adds drag and drop, a progress indication and the
click-to-highlight view of the evidence in the policy's full text.
"""

from __future__ import annotations

import functools
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from policy_audit import (
    DEFAULT_RUBRIC,
    SCORECARD_STYLESHEET,
    PolicyAuditError,
    Scorecard,
    available_jurisdictions,
    load_jurisdiction,
)

from .problems import Problem
from .responses import markdown_response, scoring
from .scorecard_view import scorecard_view
from .security import check_same_origin
from .service import AuditService, hash_token
from .settings import Settings
from .uploads import read_upload, truthy

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
DELETE_COOKIE = "delete_token"
# Scripts and styles only from this server; forms only post back to it; nothing may frame
# the pages. No inline script or style anywhere in the templates.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    # Audit URLs are capabilities: never send them to the sites the citations link to.
    # (same-origin rather than no-referrer: with no-referrer, browsers send "Origin: null"
    # on our own form posts, and api.security checks Origin against forgery.)
    "Referrer-Policy": "same-origin",
}


@functools.cache
def environment() -> Environment:
    # The scorecard's parts (brief, cards, state law) are the standalone HTML report's own
    # templates, so the page and the report cannot drift apart.
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES_DIR),
                             PackageLoader("policy_audit.report", "templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the JSON API, not a script)."""
    path = request.url.path
    if path.startswith("/api/") or path in {"/healthz", "/docs", "/openapi.json"}:
        return False
    return "text/html" in request.headers.get("accept", "")


def error_page(status: int, detail: str) -> HTMLResponse:
    return page("error.html.j2", status=status, status_code=status, detail=detail)


def html_errors(request: Request, status: int, detail: str) -> HTMLResponse | None:
    """For ``problems.install``: browsers get errors on the pages as pages."""
    return error_page(status, detail) if wants_html(request) else None


@functools.cache
def _states() -> list[tuple[str, str]]:
    """(code, name) of every encoded state, by name, for the form's choice."""
    states = [(code.upper(), load_jurisdiction(code).name) for code in available_jurisdictions()]
    return sorted(states, key=lambda item: item[1])


def _home(
    request: Request,
    settings: Settings,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    service: AuditService = request.app.state.service
    rubrics = sorted(service.rubrics.values(), key=lambda r: (r.id != DEFAULT_RUBRIC, r.id))
    values = {"rubric": DEFAULT_RUBRIC, "jurisdiction": "", "text": "", "name": "", "force": ""}
    values.update(form or {})
    return page(
        "home.html.j2",
        status=status,
        rubrics=rubrics,
        states=_states(),
        form=values,
        error=error,
        notice=_notice(request),
        max_upload_bytes=settings.max_upload_bytes,
        max_upload_mb=settings.max_upload_bytes / (1024 * 1024),
        max_pages=settings.max_pages,
    )


def _notice(request: Request) -> str | None:
    if request.query_params.get("deleted"):
        return "The audit was deleted."
    return None


def delete_token(request: Request) -> str | None:
    # The cookie is scoped to the audit's (or comparison's) own path, so it is its token.
    return request.cookies.get(DELETE_COOKIE) or None


def owns(request: Request, token_hash: str) -> bool:
    token = delete_token(request)
    return token is not None and secrets.compare_digest(hash_token(token), token_hash)


def set_delete_cookie(response: Response, request: Request, token: str, path: str) -> None:
    """The delete token for the page at ``path``, readable only by requests to it."""
    response.set_cookie(
        DELETE_COOKIE,
        token,
        max_age=365 * 24 * 3600,
        path=path,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def build_web_router(settings: Settings) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    # A pasted policy may be as large as an uploaded one; the text field travels in the
    # same body as the file field, so allow both plus the small fields.
    form_body = 2 * settings.max_upload_bytes + 64 * 1024

    @router.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return _home(request, settings)

    @router.post("/audits", max_body_size=form_body)
    async def submit(request: Request) -> Response:
        service: AuditService = request.app.state.service
        check_same_origin(request, settings.trusted_origins)  # before reading the body
        try:
            form = await request.form(
                max_files=1, max_fields=10, max_part_size=settings.max_upload_bytes + 1
            )
        except MultiPartException as exc:
            return _home(request, settings, status=400, error=f"The form could not be read: {exc}")
        values = {
            key: str(form.get(key) or "")
            for key in ("rubric", "jurisdiction", "text", "name", "force")
            if not isinstance(form.get(key), UploadFile)
        }
        try:
            upload = form.get("file")
            data, name, default = await _document(upload, values, settings)
            saved = await scoring(
                request,
                service.create,
                data,
                name=name,
                rubric=values.get("rubric") or None,
                jurisdiction=values.get("jurisdiction") or None,
                default_name=default,
                force=truthy(values.get("force")),
            )
        except Problem as problem:
            return _home(request, settings, status=problem.status, error=problem.detail,
                         form=values)
        except PolicyAuditError as error:
            return _home(request, settings, status=error.http_status, error=str(error),
                         form=values)
        finally:
            await form.close()
        audit_id = saved.audit.id
        target = f"/audits/{audit_id}" + ("" if saved.created else "?existing=1")
        response = RedirectResponse(target, status_code=303)
        if saved.delete_token:
            # Only this browser can delete what it created: the token lives in a cookie
            # scoped to this audit's path, never in a URL.
            set_delete_cookie(response, request, saved.delete_token, f"/audits/{audit_id}")
        return response

    @router.get("/audits/{audit_id}", response_class=HTMLResponse)
    def scorecard(audit_id: str, request: Request) -> HTMLResponse:
        service: AuditService = request.app.state.service
        audit = service.get(audit_id)
        card = Scorecard.model_validate(audit.scorecard)
        rubric = service.rubrics.get(card.rubric.id)
        if rubric is not None and rubric.version != card.rubric.version:
            rubric = None  # the rubric changed since: don't pair old results with new text
        view = scorecard_view(card, audit.extracted_text, rubric)
        response = page(
            "scorecard.html.j2",
            card=card,
            view=view,
            has_text=view.has_text,
            only_gaps=request.query_params.get("show") == "gaps",
            scored_on=audit.created_at.strftime("%d %B %Y") if audit.created_at else "",
            audit=audit,
            permalink=str(request.url_for("scorecard", audit_id=audit_id)),
            existing=bool(request.query_params.get("existing")),
            can_delete=owns(request, audit.delete_token_hash),
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @router.get("/assets/scorecard.css")
    def scorecard_css() -> Response:
        return Response(
            SCORECARD_STYLESHEET.read_text(encoding="utf-8"),
            media_type="text/css",
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    @router.get("/audits/{audit_id}/amendments.md")
    def amendments(audit_id: str, request: Request) -> Response:
        from policy_audit import render

        audit = request.app.state.service.get(audit_id)
        card = Scorecard.model_validate(audit.scorecard)
        filename = _download_name(card.document.name)
        return markdown_response(
            render(card, "amendments"),
            {"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @router.post("/audits/{audit_id}/delete")
    def delete(audit_id: str, request: Request) -> Response:
        service: AuditService = request.app.state.service
        check_same_origin(request, settings.trusted_origins)
        token = delete_token(request)
        if not token:
            return error_page(
                403,
                "Only the browser that created this audit can delete it from this page. "
                "API users: DELETE /api/v1/audits/{id} with the delete token.",
            )
        service.delete(audit_id, f"Bearer {token}")
        response = RedirectResponse("/?deleted=1", status_code=303)
        response.delete_cookie(DELETE_COOKIE, path=f"/audits/{audit_id}")
        return response

    return router


async def _document(
    upload: Any, values: dict[str, str], settings: Settings
) -> tuple[bytes, str | None, str]:
    """The bytes to score: the uploaded file, or else the pasted text."""
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    text = values.get("text", "")
    if has_file and text.strip():
        raise Problem(
            422,
            "Choose one: a file or pasted text, not both. Clear the text box or the file.",
            code="invalid-request",
        )
    if has_file:
        assert isinstance(upload, UploadFile)
        return await read_upload(upload, settings), upload.filename, "document"
    if text.strip():
        return text.encode("utf-8"), values.get("name") or None, "pasted text"
    raise Problem(
        422,
        "Nothing to score: choose a policy file (PDF, DOCX, HTML, text) or paste its text.",
        code="missing-file",
    )


def _download_name(name: str) -> str:
    stem = Path(name).stem or "policy"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in stem)[:80]
    return f"{safe or 'policy'}-amendments.md"
