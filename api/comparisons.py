"""JSON API for comparisons: ``POST /api/v1/comparisons``, ``GET /api/v1/comparisons/{id}``
(and its Markdown and HTML renderings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.datastructures import UploadFile

from policy_audit import Comparison, render_comparison

from . import comparison_store as store
from . import uploads as incoming
from .db import as_utc
from .responses import (
    HTML_CSP,
    PREFIX,
    authorization_of,
    markdown_response,
    scoring,
    service_of,
)
from .schemas import inline
from .settings import Settings


class VersionIn(BaseModel):
    """One version: a saved audit's id, or a document's text."""

    model_config = ConfigDict(extra="forbid")

    audit_id: str | None = Field(default=None, max_length=64)
    text: str | None = None
    name: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _one_of(self) -> VersionIn:
        if (self.audit_id is None) == (self.text is None):
            raise ValueError("give either audit_id or text")
        return self


class ComparisonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    versions: list[VersionIn] = Field(
        description="Oldest (or baseline) first. One version alone is compared with the "
        "rubric's model language.")
    rubric: str | None = Field(default=None, max_length=128)
    jurisdiction: str | None = Field(default=None, max_length=64)
    baseline: bool = Field(
        default=False, description="Compare every version with the first (current law "
        "against competing bills) instead of each with the one before it.")


def links(comparison_id: str) -> dict[str, str]:
    base = f"{PREFIX}/comparisons/{comparison_id}"
    return {"self": base, "report_md": f"{base}/report.md",
            "report_html": f"{base}/report.html", "page": f"/comparisons/{comparison_id}"}


def comparison_json(row: store.SavedComparison, delete_token: str | None = None,
                    ) -> dict[str, Any]:
    body = dict(row.comparison)
    body.update(id=row.id, audit_ids=list(row.audit_ids),
                created_at=as_utc(row.created_at).isoformat() if row.created_at else None,
                links=links(row.id))
    if delete_token is not None:
        body["delete_token"] = delete_token
    return body


def audit_ids_of(value: str | None) -> list[str]:
    """Ids from a form field: separated by commas, spaces or lines; a pasted audit link
    (…/audits/<id>) counts as its id."""
    ids = []
    for token in (value or "").replace(",", " ").split():
        token = token.rstrip("/")
        if "/audits/" in token:
            token = token.rsplit("/audits/", 1)[1].split("/")[0].split("?")[0]
        if token:
            ids.append(token)
    return ids


@dataclass
class CompareRequest:
    """What a request asks to compare, however it was sent."""

    versions: list[store.VersionIn]
    rubric: str | None = None
    jurisdiction: str | None = None
    baseline: bool = False


_TRUE = {"1", "true", "on", "yes"}


async def read_versions(request: Request, settings: Settings, *, prefix: str = "files",
                        ) -> CompareRequest:
    """Versions from multipart (``audits`` ids first, then ``files`` in order) or JSON."""
    media_type = incoming.media_type(request)
    # A form without files may come URL-encoded: it can only name saved audits.
    if media_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await incoming.form(request, max_files=store.MAX_VERSIONS + 1)
        try:
            rubric = incoming.text_field(form, "rubric") or incoming.query(request, "rubric")
            jurisdiction = (incoming.text_field(form, "jurisdiction")
                            or incoming.query(request, "jurisdiction"))
            versions: list[store.VersionIn] = [
                store.AuditRef(i) for value in form.getlist("audits")
                if isinstance(value, str) for i in audit_ids_of(value)]
            uploads = [f for f in form.getlist(prefix)
                       if isinstance(f, UploadFile) and f.filename]
            store.check_count(len(versions) + len(uploads))
            for upload in uploads:
                versions.append(store.Upload(await incoming.read_upload(upload, settings),
                                             upload.filename))
            baseline = (incoming.text_field(form, "baseline") or "").strip().lower() in _TRUE
        finally:
            await form.close()
        return CompareRequest(versions=versions, rubric=rubric or None,
                        jurisdiction=jurisdiction or None, baseline=baseline)
    if incoming.is_json(media_type):
        body: ComparisonIn = incoming.validate(ComparisonIn, await incoming.json_body(request))
        store.check_count(len(body.versions))
        versions = []
        for item in body.versions:
            if item.audit_id is not None:
                versions.append(store.AuditRef(item.audit_id))
            else:
                assert item.text is not None
                versions.append(store.Upload(item.text.encode("utf-8"), item.name,
                                             "pasted text"))
        return CompareRequest(versions=versions,
                              rubric=body.rubric or incoming.query(request, "rubric"),
                        jurisdiction=body.jurisdiction or incoming.query(request, "jurisdiction"),
                        baseline=body.baseline)
    raise incoming.unsupported(
        media_type, "multipart/form-data with 'files' and/or 'audits', or JSON")


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter()

    @router.post(
        f"{PREFIX}/comparisons",
        status_code=201,
        max_body_size=settings.max_batch_bytes,
        summary="Compare versions of a policy",
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": _request_schema()},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "audits": {"type": "string", "description": "Saved audit ids (or links), "
                           "separated by commas or spaces; they come first, in order."},
                "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                          "description": "Documents, in order, after the saved audits."},
                "rubric": {"type": "string"}, "jurisdiction": {"type": "string"},
                "baseline": {"type": "string", "description": "'true': every version "
                             "against the first"}}}},
        }}},
        description=(
            "Versions oldest first, as saved audit ids and/or documents (each document is "
            "scored and saved as an audit, with the limits and dedupe of `POST "
            "/api/v1/audits`). Two or more: criterion deltas, new and resolved conflicts, "
            "loopholes and legal findings, and a section-aligned redline per step. One: the "
            "draft against the rubric's model language. 201 with the comparison, `id`, "
            "`audit_ids`, `links` (`page` is its permanent page) and a one-time "
            "`delete_token` (it deletes the comparison and the audits its uploads created); "
            "200 with the saved comparison of the same versions, without a token (it is "
            f"never issued again). At most {store.MAX_VERSIONS} versions."),
    )
    async def create_comparison(request: Request) -> Response:
        service = service_of(request)
        asked = await read_versions(request, settings)
        result = await scoring(request, store.create, service, asked.versions,
                               rubric=asked.rubric, jurisdiction=asked.jurisdiction,
                               baseline=asked.baseline)
        return JSONResponse(comparison_json(result.row, result.delete_token),
                            status_code=201 if result.created else 200,
                            headers={"Location": links(result.row.id)["self"]})

    @router.get(f"{PREFIX}/comparisons/{{comparison_id}}", summary="A saved comparison")
    def get_comparison(comparison_id: str, request: Request) -> JSONResponse:
        return JSONResponse(comparison_json(store.get(service_of(request), comparison_id)))

    @router.delete(
        f"{PREFIX}/comparisons/{{comparison_id}}",
        status_code=204,
        summary="Delete a saved comparison (needs its delete token as a Bearer token)",
        description=(
            "Send the comparison's delete token as `Authorization: Bearer <delete_token>` "
            "or `X-Delete-Token: <delete_token>`. 401 without one, 403 with another. The "
            "audits of its versions stay; those its uploads created are deleted with the "
            "same token (`DELETE /api/v1/audits/{id}`)."),
    )
    def delete_comparison(comparison_id: str, request: Request) -> Response:
        store.delete(service_of(request), comparison_id, authorization_of(request))
        return Response(status_code=204)

    @router.get(f"{PREFIX}/comparisons/{{comparison_id}}/report.md",
                summary="A saved comparison as Markdown")
    def get_comparison_md(comparison_id: str, request: Request) -> Response:
        row = store.get(service_of(request), comparison_id)
        comparison = Comparison.model_validate(row.comparison)
        return markdown_response(render_comparison(comparison, "markdown"))

    @router.get(f"{PREFIX}/comparisons/{{comparison_id}}/report.html",
                summary="A saved comparison as a standalone HTML page")
    def get_comparison_html(comparison_id: str, request: Request) -> Response:
        row = store.get(service_of(request), comparison_id)
        html = render_comparison(Comparison.model_validate(row.comparison), "html")
        return HTMLResponse(html, headers={"Content-Security-Policy": HTML_CSP,
                                           "X-Content-Type-Options": "nosniff"})

    return router


def _request_schema() -> dict[str, Any]:
    return inline(ComparisonIn.model_json_schema())
