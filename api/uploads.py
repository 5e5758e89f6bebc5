"""Reading a request: its media type, a JSON body validated against a model, multipart
forms and uploads (with the size limit), and the options (``rubric``, ``jurisdiction``,
``force``) from the body, the form or the query string. Every refusal is a ``Problem``
(400 malformed JSON, 413 too large, 415 media type, 422 invalid)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from .problems import Problem
from .schemas import AuditIn, BatchIn, DocumentIn
from .service import AuditService
from .settings import Settings


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


async def json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Problem(
            400, f"The request body is not valid JSON ({exc}).", code="malformed-json"
        ) from None


def validate(model: type[BaseModel], data: Any) -> Any:
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


def unsupported(media_type: str, expected: str) -> Problem:
    return Problem(
        415,
        f"Send {expected}; got {media_type or 'no Content-Type'}.",
        code="unsupported-media-type",
    )


async def form(request: Request, max_files: int) -> FormData:
    return await request.form(max_files=max_files, max_fields=max_files + 16)


def text_field(form: FormData, key: str) -> str | None:
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


def documents_field(raw: str | None) -> list[DocumentIn]:
    """A multipart ``documents`` field: the JSON list (or ``{"documents": [...]}``),
    validated as a batch's documents."""
    if not raw:
        return []
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise Problem(
            400, f"'documents' is not valid JSON ({exc}).", code="malformed-json"
        ) from None
    if isinstance(parsed, dict):
        parsed = parsed.get("documents")
    documents: list[DocumentIn] = validate(BatchIn, {"documents": parsed}).documents
    return documents


def query(request: Request, key: str) -> str | None:
    return request.query_params.get(key)


QUERY_KEYS = frozenset({"rubric", "jurisdiction", "force"})
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


def check_query(request: Request, service: AuditService) -> None:
    """Unknown query parameters, and an unknown rubric or state in the query, are refused
    (422) even when the body names good ones: like an unknown JSON key, a value the client
    sent is never silently ignored."""
    unknown = sorted(set(request.query_params) - QUERY_KEYS)
    if unknown:
        raise Problem(
            422,
            f"Unknown query parameter {unknown[0]!r}; this endpoint takes only 'rubric', "
            "'jurisdiction' and 'force'.",
            code="invalid-request",
        )
    service.check_request(query(request, "rubric"), query(request, "jurisdiction"))


@dataclass(frozen=True)
class Options:
    """How to score: a value in the body or form wins over the query string's."""

    rubric: str | None
    jurisdiction: str | None
    force: bool


def form_options(form: FormData, request: Request) -> Options:
    return Options(
        rubric=text_field(form, "rubric") or query(request, "rubric"),
        jurisdiction=text_field(form, "jurisdiction") or query(request, "jurisdiction"),
        force=truthy(text_field(form, "force") or query(request, "force")),
    )


def json_options(body: AuditIn | BatchIn, request: Request) -> Options:
    return Options(
        rubric=body.rubric or query(request, "rubric"),
        jurisdiction=body.jurisdiction or query(request, "jurisdiction"),
        force=body.force or truthy(query(request, "force")),
    )
