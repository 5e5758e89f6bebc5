"""``/api/v1/audits``: score one policy (JSON or a multipart upload), read the saved
scorecard and its Markdown/HTML reports and amendments letter, delete it with its token."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.datastructures import UploadFile

from policy_audit import Scorecard

from ..db import Audit
from ..problems import Problem
from ..responses import (
    HTML_CSP,
    PREFIX,
    audit_json,
    authorization_of,
    markdown_response,
    saved_response,
    scoring,
    service_of,
)
from ..schemas import SINGLE_FORM, AuditIn, request_body
from ..service import AuditService, Saved
from ..settings import Settings
from ..uploads import (
    check_query,
    form,
    form_options,
    is_json,
    json_body,
    json_options,
    media_type,
    read_upload,
    unsupported,
    validate,
)
from . import batch

CREATE_DESCRIPTION = (
    'Multipart with a `file` part, or JSON `{"text": ..., "name": ...}`. Optional '
    "`rubric` (a shipped rubric id) and `jurisdiction` (a state code such as `VA`: "
    "adds `legal_findings`), `force` (score a document that never mentions license "
    "plate readers; without it such a document gets 422 `not-an-alpr-policy`). "
    "201 with the scorecard, `id`, `links` and a one-time "
    "`delete_token`; 200 with the saved audit when the same document was already "
    "scored with the same rubric and jurisdiction."
)


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter()

    @router.post(
        f"{PREFIX}/audits",
        status_code=201,
        summary="Score one policy",
        openapi_extra=request_body(AuditIn, SINGLE_FORM),
        description=CREATE_DESCRIPTION,
    )
    async def create_audit(request: Request) -> Response:
        service = service_of(request)
        check_query(request, service)
        kind = media_type(request)
        if kind == "multipart/form-data":
            saved = await _create_from_upload(request, service, settings)
        elif is_json(kind):
            saved = await _create_from_json(request, service)
        else:
            raise unsupported(kind, "multipart/form-data with a 'file', or JSON")
        return saved_response(saved)

    # The batch endpoint is a custom method of this collection (POST /audits:batch): it
    # comes right after the single create, here and in the OpenAPI document.
    router.include_router(batch.build_router(settings))

    @router.get(f"{PREFIX}/audits/{{audit_id}}", summary="A saved audit's scorecard")
    def get_audit(audit_id: str, request: Request) -> JSONResponse:
        audit = service_of(request).get(audit_id)
        return JSONResponse(audit_json(audit))

    @router.get(f"{PREFIX}/audits/{{audit_id}}/report.md", summary="The report as Markdown")
    def get_report_md(audit_id: str, request: Request) -> Response:
        return markdown_response(_render(service_of(request).get(audit_id), "markdown"))

    @router.get(
        f"{PREFIX}/audits/{{audit_id}}/amendments.md",
        summary="The requested amendments letter (Markdown)",
        description="For every criterion below strong, the model language that would fix "
        "it, in the policy's own section order; state-law violations first.",
    )
    def get_amendments_md(audit_id: str, request: Request) -> Response:
        return markdown_response(_render(service_of(request).get(audit_id), "amendments"))

    @router.get(f"{PREFIX}/audits/{{audit_id}}/report.html", summary="The report as HTML")
    def get_report_html(audit_id: str, request: Request) -> Response:
        text = _render(service_of(request).get(audit_id), "html")
        return HTMLResponse(
            text,
            headers={"Content-Security-Policy": HTML_CSP, "X-Content-Type-Options": "nosniff"},
        )

    @router.delete(
        f"{PREFIX}/audits/{{audit_id}}",
        status_code=204,
        summary="Delete an audit (needs its delete token as a Bearer token)",
    )
    def delete_audit(audit_id: str, request: Request) -> Response:
        service_of(request).delete(audit_id, authorization_of(request))
        return Response(status_code=204)

    return router


async def _create_from_upload(request: Request, service: AuditService, settings: Settings) -> Saved:
    """Multipart: the options are checked before the file is read."""
    received = await form(request, max_files=1)
    try:
        options = form_options(received, request)
        service.check_request(options.rubric, options.jurisdiction)
        upload = received.get("file")
        if not isinstance(upload, UploadFile):
            raise Problem(
                422, "Send the policy as a multipart part named 'file'.", code="missing-file"
            )
        data = await read_upload(upload, settings)
    finally:
        await received.close()
    return await scoring(
        request, service.create, data, name=upload.filename, rubric=options.rubric,
        jurisdiction=options.jurisdiction, force=options.force,
    )


async def _create_from_json(request: Request, service: AuditService) -> Saved:
    body: AuditIn = validate(AuditIn, await json_body(request))
    options = json_options(body, request)
    return await scoring(
        request,
        service.create,
        body.text.encode("utf-8"),
        name=body.name,
        rubric=options.rubric,
        jurisdiction=options.jurisdiction,
        default_name="pasted text",
        force=options.force,
    )


def _render(audit: Audit, fmt: str) -> str:
    from policy_audit import render

    card = Scorecard.model_validate(audit.scorecard)
    return render(card, fmt)
