"""``POST /api/v1/audits:batch``: score several policies (multipart ``files`` parts and/or
a JSON list of documents) and answer with one result per document, in order."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from policy_audit import PolicyAuditError

from ..problems import Problem, problem_body, problem_for_error
from ..responses import PREFIX, links, scoring, service_of
from ..schemas import BATCH_FORM, BatchIn, DocumentIn, request_body
from ..service import AuditService
from ..settings import Settings
from ..uploads import (
    Options,
    check_query,
    documents_field,
    form,
    form_options,
    is_json,
    json_body,
    json_options,
    media_type,
    read_upload,
    text_field,
    unsupported,
    validate,
)

log = logging.getLogger("api")

# One document to score: its name, its bytes (or why they could not be read: that item
# fails alone) and the name to give it when it has none.
Item = tuple[str | None, bytes | Problem, str]


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter()

    @router.post(
        f"{PREFIX}/audits:batch",
        max_body_size=settings.max_batch_bytes,
        summary="Score several policies",
        openapi_extra=request_body(BatchIn, BATCH_FORM),
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
        check_query(request, service)
        kind = media_type(request)
        if kind == "multipart/form-data":
            items, options = await _items_from_form(request, service, settings)
        elif is_json(kind):
            items, options = await _items_from_json(request, service, settings)
        else:
            raise unsupported(kind, "multipart/form-data with 'files', or JSON")
        results = await scoring(request, _score_all, service, items, request.url.path, options)
        return JSONResponse({**_summary(results), "results": results})

    return router


async def _items_from_form(
    request: Request, service: AuditService, settings: Settings
) -> tuple[list[Item], Options]:
    """Uploads first, then the documents of a ``documents`` field; the count and the
    options are checked before any file is read."""
    limit = settings.max_batch_items
    received = await form(request, max_files=limit + 1)
    try:
        options = form_options(received, request)
        uploads = [f for f in received.getlist("files") if isinstance(f, UploadFile)]
        documents = documents_field(text_field(received, "documents"))
        _check_count(len(uploads) + len(documents), limit)
        service.check_request(options.rubric, options.jurisdiction)
        items = [await _read(upload, settings) for upload in uploads]
    finally:
        await received.close()
    return items + _pasted(documents), options


async def _items_from_json(
    request: Request, service: AuditService, settings: Settings
) -> tuple[list[Item], Options]:
    body: BatchIn = validate(BatchIn, await json_body(request))
    options = json_options(body, request)
    _check_count(len(body.documents), settings.max_batch_items)
    service.check_request(options.rubric, options.jurisdiction)
    return _pasted(body.documents), options


async def _read(upload: UploadFile, settings: Settings) -> Item:
    try:
        return (upload.filename, await read_upload(upload, settings), "")
    except Problem as problem:  # too large: this item fails, the others are scored
        return (upload.filename, problem, "")


def _pasted(documents: list[DocumentIn]) -> list[Item]:
    return [(d.name, d.text.encode("utf-8"), "pasted text") for d in documents]


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


def _score_all(
    service: AuditService, items: list[Item], instance: str, options: Options
) -> list[dict[str, Any]]:
    return [
        _batch_item(
            service,
            index,
            name,
            data,
            default,
            instance,
            rubric=options.rubric,
            jurisdiction=options.jurisdiction,
            force=options.force,
        )
        for index, (name, data, default) in enumerate(items)
    ]


def _summary(results: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "count": len(results),
        "created": sum(1 for r in results if r["status"] == 201),
        "existing": sum(1 for r in results if r["status"] == 200),
        "failed": sum(1 for r in results if r["status"] >= 400),
    }


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
