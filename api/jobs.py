"""JSON API for large batches: ``POST /api/v1/jobs`` queues many documents as one job
(202), ``GET /api/v1/jobs/{id}`` reports its progress; ``policy-audit worker`` processes
score them into ordinary saved audits (``/api/v1/audits/{id}``)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from .db import as_utc
from .job_archive import read_archive
from .job_service import JOBS_PREFIX, JobItem, JobService, finished_at, job_status
from .job_store import DONE, FAILED, QUEUED, RUNNING, BatchDocument, BatchJob
from .problems import Problem
from .responses import authorization_of
from .routes import (
    BatchIn,
    _check_query,
    _is_json,
    _json_body,
    _media_type,
    _query,
    _text_field,
    _unsupported,
    _validate,
    links,
    read_upload,
    truthy,
)
from .settings import Settings
from .uploads import documents_field

log = logging.getLogger("api.jobs")

ZIP_TYPES = ("application/zip", "application/x-zip-compressed")


def job_links(job_id: str) -> dict[str, str]:
    return {"self": f"{JOBS_PREFIX}/{job_id}"}


def document_json(document: BatchDocument) -> dict[str, Any]:
    item: dict[str, Any] = {
        "index": document.position,
        "name": document.name,
        "status": document.status,
    }
    if document.status == DONE and document.audit_id:
        item.update(id=document.audit_id, created=bool(document.created),
                    links=links(document.audit_id))
    elif document.status == FAILED:
        item["problem"] = document.problem
    return item


NO_WORKER = (
    "No worker is running against this database, so nothing is being scored: start "
    "`policy-audit worker` with the service's database (README: Large batches and scaling "
    "out). The job waits, nothing is lost."
)


def job_json(
    job: BatchJob,
    documents: list[BatchDocument],
    delete_token: str | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """``workers``: how many workers are running, when the job is not done (a warning
    says so when there are none)."""
    def count(status: str) -> int:
        return sum(1 for d in documents if d.status == status)

    done = [d for d in documents if d.status == DONE]
    body_status = job_status(documents)
    body: dict[str, Any] = {
        "id": job.id,
        "status": body_status,
        "rubric": job.rubric_id,
        "jurisdiction": job.jurisdiction or None,
        "force": bool(job.force),
        "created_at": as_utc(job.created_at).isoformat() if job.created_at else None,
        "finished_at": finished_at(documents),
        "counts": {
            "total": len(documents),
            QUEUED: count(QUEUED),
            RUNNING: count(RUNNING),
            DONE: count(DONE),
            FAILED: count(FAILED),
            "created": sum(1 for d in done if d.created),
            "existing": sum(1 for d in done if not d.created),
        },
        "documents": [document_json(d) for d in documents],
        "links": job_links(job.id),
        "warnings": [NO_WORKER] if workers == 0 and body_status != "done" else [],
    }
    if delete_token is not None:
        body["delete_token"] = delete_token
    return body


def jobs_of(request: Request) -> JobService:
    return cast(JobService, request.app.state.jobs)


def _check_count(count: int, limit: int) -> None:
    if count == 0:
        raise Problem(
            422,
            "No documents: send multipart 'files' or 'archive' (zip) parts, a zip body, or "
            'JSON {"documents": [...]}.',
            code="empty-batch",
        )
    if count > limit:
        raise Problem(
            413,
            f"{count} documents in one job; the limit is {limit} "
            "(POLICY_AUDIT_MAX_JOB_ITEMS). Split them into several jobs.",
            code="too-many-documents",
        )


@contextmanager
def database_problems() -> Iterator[None]:
    """A database that cannot be reached is a 503 the client can retry, not a 500."""
    try:
        yield
    except (OperationalError, InterfaceError):
        log.exception("jobs: database unreachable")
        raise Problem(
            503, "The database is not reachable; try again later.", code="unavailable"
        ) from None


def _bytes(items: list[JobItem]) -> int:
    return sum(len(item.data) for item in items if isinstance(item.data, bytes))


async def _job_form(request: Request, limit: int) -> FormData:
    """The multipart form; more file parts than a job may hold is a 413 that says so
    (Starlette stops reading at its own count with a bare 400)."""
    try:
        return await request.form(max_files=limit + 16, max_fields=limit + 16)
    except HTTPException as exc:
        if exc.status_code == 400 and str(exc.detail).startswith("Too many files"):
            raise Problem(
                413,
                f"More than {limit} documents in one job; the limit is {limit} "
                "(POLICY_AUDIT_MAX_JOB_ITEMS). Split them into several jobs.",
                code="too-many-documents",
            ) from None
        raise


def build_jobs_router(settings: Settings) -> APIRouter:
    router = APIRouter()
    limit = settings.max_job_items

    def unpack(upload_file: Any, name: str, room: int, budget: int) -> list[JobItem]:
        return list(
            read_archive(
                upload_file,
                archive_name=name,
                max_items=room,
                max_document_bytes=settings.max_upload_bytes,
                max_total_bytes=budget,
            )
        )

    @router.post(
        JOBS_PREFIX,
        status_code=202,
        max_body_size=settings.max_job_bytes,
        summary="Queue a large batch of policies as a job",
        # Responses and request bodies: api/job_contract.py.
        description=(
            "For more documents than `POST /api/v1/audits:batch` takes in one request. "
            "Multipart `files` parts and/or `archive` parts (zip files: each member is a "
            'document) and/or a `documents` field (JSON list of `{"text", "name"}`); or a '
            'zip as the whole body (`Content-Type: application/zip`); or JSON `{"documents": '
            '[...]}`. Optional `rubric` and `jurisdiction` for all of them (form fields, '
            f"JSON keys or query parameters). At most {settings.max_job_items} documents and "
            f"{settings.max_job_bytes // (1024 * 1024)} MB per job, each document within the "
            "single-upload limit. **202** with the job (`status: queued`), a `Location` "
            "header and a one-time `delete_token` that deletes every audit this job "
            "creates. `policy-audit worker` processes score the documents; poll "
            "`GET /api/v1/jobs/{id}`."
        ),
    )
    async def create_job(request: Request) -> Response:
        jobs = jobs_of(request)
        _check_query(request, jobs.audits)  # unknown parameters are refused, not ignored
        media_type = _media_type(request)
        items: list[JobItem] = []
        if media_type == "multipart/form-data":
            form = await _job_form(request, limit)
            try:
                rubric = _text_field(form, "rubric") or _query(request, "rubric")
                jurisdiction = _text_field(form, "jurisdiction") or _query(request, "jurisdiction")
                force = truthy(_text_field(form, "force") or _query(request, "force"))
                jobs.audits.check_request(rubric, jurisdiction)
                uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
                archives = [f for f in form.getlist("archive") if isinstance(f, UploadFile)]
                documents = documents_field(_text_field(form, "documents"))
                _check_count(len(uploads) + len(documents) + len(archives), limit)
                for archive in archives:
                    room = limit - len(items) - len(uploads) - len(documents)
                    budget = settings.max_job_bytes - _bytes(items)  # over all archives
                    name = archive.filename or "archive"
                    items += await anyio.to_thread.run_sync(unpack, archive.file, name, room,
                                                            budget)
                for upload in uploads:
                    try:
                        items.append(JobItem(upload.filename, await read_upload(upload, settings)))
                    except Problem as problem:
                        items.append(JobItem(upload.filename, problem))
            finally:
                await form.close()
            items += [JobItem(d.name, d.text.encode("utf-8"), "pasted text") for d in documents]
        elif media_type in ZIP_TYPES:
            rubric, jurisdiction = _query(request, "rubric"), _query(request, "jurisdiction")
            force = truthy(_query(request, "force"))
            jobs.audits.check_request(rubric, jurisdiction)
            body = await request.body()
            items = await anyio.to_thread.run_sync(
                unpack, io.BytesIO(body), "the zip body", limit, settings.max_job_bytes
            )
        elif _is_json(media_type):
            parsed: BatchIn = _validate(BatchIn, await _json_body(request))
            rubric = parsed.rubric or _query(request, "rubric")
            jurisdiction = parsed.jurisdiction or _query(request, "jurisdiction")
            force = parsed.force or truthy(_query(request, "force"))
            _check_count(len(parsed.documents), limit)
            jobs.audits.check_request(rubric, jurisdiction)
            items = [JobItem(d.name, d.text.encode("utf-8"), "pasted text")
                     for d in parsed.documents]
        else:
            raise _unsupported(media_type, "multipart/form-data with 'files' or 'archive', a "
                                           "zip (application/zip), or JSON")
        _check_count(len(items), limit)
        with database_problems():
            job, token = await anyio.to_thread.run_sync(
                lambda: jobs.submit(items, rubric=rubric, jurisdiction=jurisdiction, force=force)
            )
            stored, rows = await anyio.to_thread.run_sync(jobs.get, job.id)
        workers = await anyio.to_thread.run_sync(jobs.live_workers)
        return JSONResponse(
            job_json(stored, rows, token, workers),
            status_code=202,
            headers={"Location": job_links(job.id)["self"]},
        )

    @router.get(
        f"{JOBS_PREFIX}/{{job_id}}",
        summary="A job's progress and results",
        description=(
            "`status` is `queued`, `running` or `done` (every document scored or failed). "
            "Each document, in the order sent: `queued`, `running`, `done` (with the audit's "
            "`id`, `links`, and `created`: false when the same document had been scored "
            "before, so the job's delete token does not delete it) or `failed` (with a "
            "`problem`). Scorecards are at the audits' own URLs."
        ),
    )
    def get_job(job_id: str, request: Request) -> JSONResponse:
        jobs = jobs_of(request)
        with database_problems():
            job, documents = jobs.get(job_id)
        workers = jobs.live_workers() if job_status(documents) != "done" else None
        return JSONResponse(job_json(job, documents, workers=workers))

    @router.delete(
        f"{JOBS_PREFIX}/{{job_id}}",
        status_code=204,
        summary="Cancel and forget a job (needs its delete token as a Bearer token)",
        description=(
            "Documents not yet scored are dropped with their uploads; a document being "
            "scored at that moment may still become an audit. Audits the job created are "
            "kept: delete them with the same token (`DELETE /api/v1/audits/{id}`)."
        ),
    )
    def delete_job(job_id: str, request: Request) -> Response:
        with database_problems():
            jobs_of(request).delete(job_id, authorization_of(request))
        return Response(status_code=204)

    return router
