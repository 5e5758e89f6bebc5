"""JSON API, version 1: audits, batch audits, rubrics. Health check at ``/healthz``."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator
from starlette.datastructures import FormData, UploadFile

from policy_audit.errors import PolicyAuditError
from policy_audit.jurisdiction import available as available_jurisdictions
from policy_audit.models import Scorecard

from .db import Audit, as_utc
from .problems import Problem, problem_body, problem_for_error, problem_response
from .service import AuditService, Saved
from .settings import Settings

log = logging.getLogger("api")

PREFIX = "/api/v1"
HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The policy's text.")
    name: str | None = Field(default=None, max_length=1000)

    @field_validator("text")
    @classmethod
    def _unicode(cls, text: str) -> str:
        # JSON may escape half a surrogate pair ("\ud800"): not a character, not encodable.
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("contains an unpaired surrogate (\\ud800-\\udfff)") from None
        return text


_FORCE_HELP = ("Score the document even if it never mentions license plate readers "
               "(otherwise 422 not-an-alpr-policy).")


class AuditIn(DocumentIn):
    rubric: str | None = Field(default=None, max_length=128)
    jurisdiction: str | None = Field(default=None, max_length=64)
    force: StrictBool = Field(default=False, description=_FORCE_HELP)  # JSON true/false only


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentIn] = Field(default_factory=list)
    rubric: str | None = Field(default=None, max_length=128)
    jurisdiction: str | None = Field(default=None, max_length=64)
    force: StrictBool = Field(default=False, description=_FORCE_HELP)  # JSON true/false only


def _request_body(json_model: type[BaseModel], multipart: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI for endpoints that read the body themselves (JSON or multipart)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _inline(json_model.model_json_schema())},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": multipart},
                },
            },
        }
    }


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """Resolve pydantic's local ``$defs`` references (OpenAPI would look in components)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


_FORM_OPTIONS = {
    "rubric": {"type": "string", "description": "A shipped rubric id (default: comprehensive)."},
    "jurisdiction": {
        "type": "string",
        "description": (
            f"A state code ({', '.join(c.upper() for c in available_jurisdictions())}) "
            "for state-law checks; unknown codes get 422."
        ),
    },
    "force": {"type": "boolean", "default": False, "description": _FORCE_HELP},
}
_SINGLE_FORM = {"file": {"type": "string", "format": "binary"}, **_FORM_OPTIONS}
_BATCH_FORM = {
    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
    "documents": {"type": "string", "description": 'JSON list of {"text", "name"}.'},
    **_FORM_OPTIONS,
}


def links(audit_id: str) -> dict[str, str]:
    base = f"{PREFIX}/audits/{audit_id}"
    return {
        "self": base,
        "report_md": f"{base}/report.md",
        "report_html": f"{base}/report.html",
        "amendments_md": f"{base}/amendments.md",
        "page": f"/audits/{audit_id}",
    }


def audit_json(audit: Audit, delete_token: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = dict(audit.scorecard)
    body["id"] = audit.id
    body["created_at"] = as_utc(audit.created_at).isoformat() if audit.created_at else None
    body["links"] = links(audit.id)
    if delete_token is not None:
        body["delete_token"] = delete_token
    return body


def saved_response(saved: Saved) -> JSONResponse:
    return JSONResponse(
        audit_json(saved.audit, saved.delete_token),
        status_code=201 if saved.created else 200,
        headers={"Location": links(saved.audit.id)["self"]},
    )


def markdown_response(text: str, headers: dict[str, str] | None = None) -> Response:
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff", **(headers or {})},
    )


T = TypeVar("T")
# Requests waiting for an audit worker each hold a thread; they get their own threads, so
# that /healthz, pages and reads keep the default threadpool while documents are scored.
SCORING_THREADS = 64


async def scoring(request: Request, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``func`` (which hands documents to the audit pool) off the event loop."""
    state = request.app.state
    if getattr(state, "scoring_limiter", None) is None:
        state.scoring_limiter = anyio.CapacityLimiter(SCORING_THREADS)
    call = functools.partial(func, *args, **kwargs)
    return await anyio.to_thread.run_sync(call, limiter=state.scoring_limiter)


def service_of(request: Request) -> AuditService:
    service: AuditService = request.app.state.service
    return service


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# request parsing -------------------------------------------------------------------


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Problem(
            400, f"The request body is not valid JSON ({exc}).", code="malformed-json"
        ) from None


def _validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in errors
        )
        raise Problem(
            422, f"The request is not valid: {detail}", code="invalid-request", errors=errors
        ) from None


def _unsupported(media_type: str, expected: str) -> Problem:
    return Problem(
        415,
        f"Send {expected}; got {media_type or 'no Content-Type'}.",
        code="unsupported-media-type",
    )


async def _form(request: Request, settings: Settings, max_files: int) -> FormData:
    return await request.form(max_files=max_files, max_fields=max_files + 16)


def _text_field(form: FormData, key: str) -> str | None:
    value = form.get(key)
    if value is None or isinstance(value, UploadFile):
        return None
    return str(value)


async def read_upload(upload: UploadFile, settings: Settings) -> bytes:
    limit = settings.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise Problem(
            413,
            f"{upload.filename or 'the file'}: larger than the limit of {limit:,} bytes",
            code="too-large",
        )
    return data


def _query(request: Request, key: str) -> str | None:
    return request.query_params.get(key)


_QUERY_KEYS = frozenset({"rubric", "jurisdiction", "force"})
_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"", "0", "false", "off", "no"})


def truthy(value: str | None) -> bool:
    """A form checkbox ("on") or a flag ("true", "1", "yes"; "false", "0", "no" or nothing
    for false). Anything else is refused (422), never silently read as false."""
    word = (value or "").strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise Problem(422, f"'force' must be true or false, not {value!r}.", code="invalid-request")


def _check_query(request: Request, service: AuditService) -> None:
    """Unknown query parameters, and an unknown rubric or state in the query, are refused
    (422) even when the body names good ones: like an unknown JSON key, a value the client
    sent is never silently ignored."""
    unknown = sorted(set(request.query_params) - _QUERY_KEYS)
    if unknown:
        raise Problem(
            422,
            f"Unknown query parameter {unknown[0]!r}; this endpoint takes only 'rubric', "
            "'jurisdiction' and 'force'.",
            code="invalid-request",
        )
    service.check_request(_query(request, "rubric"), _query(request, "jurisdiction"))


# routes ----------------------------------------------------------------------------


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter()

    @router.post(
        f"{PREFIX}/audits",
        status_code=201,
        summary="Score one policy",
        openapi_extra=_request_body(AuditIn, _SINGLE_FORM),
        description=(
            'Multipart with a `file` part, or JSON `{"text": ..., "name": ...}`. Optional '
            "`rubric` (a shipped rubric id) and `jurisdiction` (a state code such as `VA`: "
            "adds `legal_findings`), `force` (score a document that never mentions license "
            "plate readers; without it such a document gets 422 `not-an-alpr-policy`). "
            "201 with the scorecard, `id`, `links` and a one-time "
            "`delete_token`; 200 with the saved audit when the same document was already "
            "scored with the same rubric and jurisdiction."
        ),
    )
    async def create_audit(request: Request) -> Response:
        service = service_of(request)
        _check_query(request, service)
        media_type = _media_type(request)
        if media_type == "multipart/form-data":
            form = await _form(request, settings, max_files=1)
            try:
                rubric = _text_field(form, "rubric") or _query(request, "rubric")
                jurisdiction = _text_field(form, "jurisdiction") or _query(request, "jurisdiction")
                force = truthy(_text_field(form, "force") or _query(request, "force"))
                service.check_request(rubric, jurisdiction)
                upload = form.get("file")
                if not isinstance(upload, UploadFile):
                    raise Problem(
                        422,
                        "Send the policy as a multipart part named 'file'.",
                        code="missing-file",
                    )
                data = await read_upload(upload, settings)
                name = upload.filename
            finally:
                await form.close()
            saved = await scoring(
                request, service.create, data, name=name, rubric=rubric,
                jurisdiction=jurisdiction, force=force,
            )
        elif _is_json(media_type):
            body: AuditIn = _validate(AuditIn, await _json_body(request))
            rubric = body.rubric or _query(request, "rubric")
            jurisdiction = body.jurisdiction or _query(request, "jurisdiction")
            saved = await scoring(
                request,
                service.create,
                body.text.encode("utf-8"),
                name=body.name,
                rubric=rubric,
                jurisdiction=jurisdiction,
                default_name="pasted text",
                force=body.force or truthy(_query(request, "force")),
            )
        else:
            raise _unsupported(media_type, "multipart/form-data with a 'file', or JSON")
        return saved_response(saved)

    @router.post(
        f"{PREFIX}/audits:batch",
        max_body_size=settings.max_batch_bytes,
        summary="Score several policies",
        openapi_extra=_request_body(BatchIn, _BATCH_FORM),
        description=(
            f'Multipart `files` parts and/or JSON `{{"documents": [{{"text", "name"}}]}}` '
            f"(in multipart, a `documents` field may carry that JSON list). At most "
            f"{settings.max_batch_items} documents. 200 with one result per document, in "
            "order: `id`, `links`, `scorecard` (and `delete_token` when newly created), or "
            "a `problem`."
        ),
    )
    async def create_batch(request: Request) -> Response:
        service = service_of(request)
        _check_query(request, service)
        media_type = _media_type(request)
        items: list[tuple[str | None, bytes | Problem, str]] = []
        limit = settings.max_batch_items
        if media_type == "multipart/form-data":
            form = await _form(request, settings, max_files=limit + 1)
            try:
                rubric = _text_field(form, "rubric") or _query(request, "rubric")
                jurisdiction = _text_field(form, "jurisdiction") or _query(request, "jurisdiction")
                force = truthy(_text_field(form, "force") or _query(request, "force"))
                uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
                documents_field = _text_field(form, "documents")
                documents: list[DocumentIn] = []
                if documents_field:
                    try:
                        parsed = json.loads(documents_field)
                    except json.JSONDecodeError as exc:
                        raise Problem(
                            400, f"'documents' is not valid JSON ({exc}).", code="malformed-json"
                        ) from None
                    if isinstance(parsed, dict):
                        parsed = parsed.get("documents")
                    documents = _validate(BatchIn, {"documents": parsed}).documents
                _check_count(len(uploads) + len(documents), limit)
                service.check_request(rubric, jurisdiction)
                for upload in uploads:
                    try:
                        items.append((upload.filename, await read_upload(upload, settings), ""))
                    except Problem as problem:
                        items.append((upload.filename, problem, ""))
            finally:
                await form.close()
        elif _is_json(media_type):
            body: BatchIn = _validate(BatchIn, await _json_body(request))
            documents = body.documents
            rubric = body.rubric or _query(request, "rubric")
            jurisdiction = body.jurisdiction or _query(request, "jurisdiction")
            force = body.force or truthy(_query(request, "force"))
            _check_count(len(documents), limit)
            service.check_request(rubric, jurisdiction)
        else:
            raise _unsupported(media_type, "multipart/form-data with 'files', or JSON")
        for document in documents:
            items.append((document.name, document.text.encode("utf-8"), "pasted text"))

        def run() -> list[dict[str, Any]]:
            return [
                _batch_item(
                    service,
                    index,
                    name,
                    data,
                    default,
                    request.url.path,
                    rubric=rubric,
                    jurisdiction=jurisdiction,
                    force=force,
                )
                for index, (name, data, default) in enumerate(items)
            ]

        results = await scoring(request, run)
        summary = {
            "count": len(results),
            "created": sum(1 for r in results if r["status"] == 201),
            "existing": sum(1 for r in results if r["status"] == 200),
            "failed": sum(1 for r in results if r["status"] >= 400),
        }
        return JSONResponse({**summary, "results": results})

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
        authorization = request.headers.get("authorization")
        token = request.headers.get("x-delete-token", "").strip()
        if not authorization and token:
            authorization = f"Bearer {token}"  # X-Delete-Token: <token> works the same way
        service_of(request).delete(audit_id, authorization)
        return Response(status_code=204)

    @router.get(f"{PREFIX}/rubrics", summary="The shipped rubrics")
    def get_rubrics(request: Request) -> dict[str, Any]:
        rubrics = service_of(request).rubrics.values()
        return {"rubrics": [_rubric_summary(r) for r in rubrics]}

    @router.get(f"{PREFIX}/rubrics/{{rubric_id}}", summary="One rubric with its criteria")
    def get_rubric(rubric_id: str, request: Request) -> dict[str, Any]:
        rubric = service_of(request).rubrics.get(rubric_id)
        if rubric is None:
            raise Problem(404, f"No rubric with id {rubric_id!r}.", code="not-found")
        return _rubric_detail(rubric)

    @router.get("/healthz", summary="Liveness and database check")
    def healthz(request: Request) -> Response:
        try:
            service_of(request).ping()
        except Exception:
            log.exception("health check: database unreachable")
            return problem_response(
                503, "The database is not reachable.", request=request, code="unavailable"
            )
        return JSONResponse({"status": "ok", "database": "ok"})

    return router


def _check_count(count: int, limit: int) -> None:
    if count == 0:
        raise Problem(
            422,
            "No documents: send multipart 'files' parts or JSON {\"documents\": [...]}.",
            code="empty-batch",
        )
    if count > limit:
        raise Problem(
            413,
            f"{count} documents in one batch; the limit is {limit}.",
            code="too-many-documents",
        )


def _batch_item(
    service: AuditService,
    index: int,
    name: str | None,
    data: bytes | Problem,
    default_name: str,
    instance: str,
    *,
    rubric: str | None,
    jurisdiction: str | None,
    force: bool = False,
) -> dict[str, Any]:
    item: dict[str, Any] = {"index": index, "name": name}
    try:
        if isinstance(data, Problem):
            raise data
        saved = service.create(
            data,
            name=name,
            rubric=rubric,
            jurisdiction=jurisdiction,
            default_name=default_name,
            force=force,
        )
    except Problem as problem:
        body = problem_body(problem.status, problem.detail, instance=instance, code=problem.code)
        return {**item, "status": problem.status, "problem": body}
    except PolicyAuditError as error:
        return {**item, "status": error.http_status, "problem": problem_for_error(error, instance)}
    except Exception:
        log.exception("batch item %d failed unexpectedly", index)
        body = problem_body(
            500,
            "This document could not be scored because of an error on our side.",
            instance=instance,
            code="internal-error",
        )
        return {**item, "status": 500, "problem": body}
    audit = saved.audit
    item.update(
        status=201 if saved.created else 200,
        id=audit.id,
        links=links(audit.id),
        scorecard=audit.scorecard,
    )
    if saved.delete_token is not None:
        item["delete_token"] = saved.delete_token
    return item


def _render(audit: Audit, fmt: str) -> str:
    from policy_audit.report import render

    card = Scorecard.model_validate(audit.scorecard)
    return render(card, fmt)


def _rubric_summary(rubric: Any) -> dict[str, Any]:
    return {
        "id": rubric.id,
        "version": rubric.version,
        "title": rubric.title,
        "description": rubric.description,
        "criteria": len(rubric.criteria),
        "links": {"self": f"{PREFIX}/rubrics/{rubric.id}"},
    }


_CRITERION_FIELDS = {
    "id",
    "title",
    "question",
    "weight",
    "why",
    "levels",
    "citations",
    "model_language",
    "core",
}


def _rubric_detail(rubric: Any) -> dict[str, Any]:
    detail = _rubric_summary(rubric)
    del detail["links"]
    detail["grades"] = rubric.grades
    detail["grade_meanings"] = {grade: rubric.grade_meaning(grade) for grade in rubric.grades}
    detail["criteria"] = [
        c.model_dump(mode="json", include=_CRITERION_FIELDS) for c in rubric.criteria
    ]
    return detail
