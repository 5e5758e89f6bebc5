"""Large-batch jobs without HTTP: store a job and queue it, report its progress, and (in a
worker) score its documents one by one into ordinary saved audits.

Every document is scored through ``AuditService.create``, exactly like a single upload:
same deduplication, same limits, same stored audit. Its outcome (audit id, or the
problem that stopped it) is written to its ``batch_documents`` row; a document is never
dropped because another one failed.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from policy_audit import PolicyAuditError

from . import job_expiry
from .db import as_utc, utcnow
from .job_queue import PostgresQueue, SqliteQueue, make_queue
from .job_store import DONE, FAILED, QUEUED, RUNNING, UNFINISHED, BatchDocument, BatchJob
from .problems import Problem, problem_body, problem_for_error
from .service import AuditService, check_delete_token, hash_token

log = logging.getLogger("api.jobs")

JOBS_PREFIX = "/api/v1/jobs"
# A document whose worker was killed this many times while scoring it is not tried again
# (it is recorded as failed), so one document cannot stop a whole job forever.
MAX_DOCUMENT_ATTEMPTS = 3


@dataclass(frozen=True)
class JobSpec:
    """What every document of a job is scored with."""

    id: str
    rubric_id: str
    jurisdiction: str
    delete_token_hash: str
    force: bool


@dataclass(frozen=True)
class Claimed:
    """A document a worker has just taken."""

    job_id: str
    position: int
    name: str | None
    default_name: str
    data: bytes | None
    attempts: int

    @staticmethod
    def columns() -> list[Any]:
        return [BatchDocument.job_id, BatchDocument.position, BatchDocument.name,
                BatchDocument.default_name, BatchDocument.data, BatchDocument.attempts]


@dataclass
class JobItem:
    """One document of a job as received: its bytes, or why it was refused on arrival."""

    name: str | None
    data: bytes | Problem
    default_name: str = "document"


class JobService:
    def __init__(
        self, audits: AuditService, queue: PostgresQueue | SqliteQueue | None = None
    ) -> None:
        self.audits = audits
        self.settings = audits.settings
        self.sessions = audits.sessions
        self._queue = queue
        self._lock = threading.Lock()  # the first jobs may arrive on several threads
        self._specs: dict[str, JobSpec] = {}
        # What "now" is for expiry; tests put the clock forward instead of waiting.
        self.clock: Callable[[], datetime] = utcnow
        self.keep = job_expiry.retention(self.settings.job_retention_days)

    @property
    def queue(self) -> PostgresQueue | SqliteQueue:
        with self._lock:
            if self._queue is None:
                self._queue = make_queue(
                    self.settings.database_url, self.settings.job_stalled_seconds
                )
            return self._queue

    def close(self) -> None:
        with self._lock:
            if self._queue is not None:
                self._queue.close()

    # submitting --------------------------------------------------------------------

    def submit(
        self,
        items: Sequence[JobItem],
        *,
        rubric: str | None,
        jurisdiction: str | None,
        force: bool = False,
    ) -> tuple[BatchJob, str]:
        """Store the job and put it on the queue; returns it and its delete token (the
        only time the token is known). Nothing is kept if the queue cannot take it."""
        loaded, state = self.audits.check_request(rubric, jurisdiction)
        token = secrets.token_urlsafe(32)
        job = BatchJob(
            id=secrets.token_urlsafe(16),
            rubric_id=loaded.id,
            jurisdiction=state,
            total=len(items),
            force=force,
            delete_token_hash=hash_token(token),
            created_at=utcnow(),
        )
        instance = f"{JOBS_PREFIX}/{job.id}"
        documents = []
        for position, item in enumerate(items):
            document = BatchDocument(
                job_id=job.id,
                position=position,
                name=item.name[:1000] if item.name else None,
                default_name=item.default_name,
                status=QUEUED,
                attempts=0,
            )
            if isinstance(item.data, Problem):  # refused on arrival: recorded, not queued
                problem = item.data
                document.status = FAILED
                document.finished_at = utcnow()
                document.problem = problem_body(
                    problem.status, problem.detail, instance=instance, code=problem.code
                )
            else:
                document.data = item.data
            documents.append(document)
        with self.sessions() as session:
            session.add(job)
            session.flush()
            session.add_all(documents)
            session.commit()
            queued = [d.id for d in documents if d.status == QUEUED]
        if queued:
            try:
                self.queue.enqueue(job.id, queued)
            except Exception:
                log.exception("job %s could not be queued", job.id)
                self._forget(job.id)
                raise Problem(
                    503,
                    "The job queue is not reachable, so the job was not accepted; nothing "
                    "was kept. Try again later.",
                    code="unavailable",
                ) from None
        return job, token

    def _forget(self, job_id: str) -> None:
        with self.sessions() as session:
            session.execute(delete(BatchDocument).where(BatchDocument.job_id == job_id))
            session.execute(delete(BatchJob).where(BatchJob.id == job_id))
            session.commit()

    # reporting ---------------------------------------------------------------------

    def _not_found(self, job_id: str) -> Problem:
        kept = ""
        if self.keep is not None:
            kept = (f" Finished jobs are kept {self.settings.job_retention_days:g} days "
                    "(POLICY_AUDIT_JOB_RETENTION_DAYS); the audits they made stay.")
        return Problem(404, f"No job with id {job_id!r}.{kept}", code="not-found")

    def get(self, job_id: str) -> tuple[BatchJob, list[BatchDocument]]:
        """The job and its documents (without their bytes). An expired job is a 404 even
        before the sweep purges it."""
        with self.sessions() as session:
            job = session.get(BatchJob, job_id) if len(job_id) <= 64 else None
            if job is None:
                raise self._not_found(job_id)
            columns = [c for c in BatchDocument.__table__.c if c.name != "data"]
            rows = session.execute(
                select(*columns)
                .where(BatchDocument.job_id == job_id)
                .order_by(BatchDocument.position)
            ).all()
        documents = [BatchDocument(**row._asdict()) for row in rows]
        if job_expiry.is_expired(documents, self.clock(), self.keep):
            raise self._not_found(job_id)
        return job, documents

    def delete(self, job_id: str, authorization: str | None) -> None:
        """Forget a job: documents not yet scored never will be, and the uploads are gone.
        The audits it already created stay (the same token deletes them). Needs the
        job's delete token, as deleting an audit does."""
        job, _ = self.get(job_id)
        check_delete_token(authorization, job.delete_token_hash, "a job")
        # Queue messages for these documents then find nothing to do.
        self._forget(job_id)

    def purge_expired(self) -> int:
        """Delete the rows of jobs finished longer ago than the retention; how many."""
        with self.sessions() as session:
            return job_expiry.purge(session, self.clock(), self.keep)

    def live_workers(self) -> int | None:
        """How many workers are running against this database (None: cannot tell)."""
        try:
            return self.queue.live_workers()
        except Exception:
            log.exception("could not count the job workers")
            return None

    def unfinished_jobs(self) -> list[str]:
        """Ids of jobs with documents still to score, oldest first."""
        query = (
            select(BatchJob.id)
            .join(BatchDocument, BatchDocument.job_id == BatchJob.id)
            .where(BatchDocument.status.in_(UNFINISHED))
            .group_by(BatchJob.id, BatchJob.created_at)
            .order_by(BatchJob.created_at)
        )
        with self.sessions() as session:
            return list(session.scalars(query))

    def counts(self) -> dict[str, int]:
        with self.sessions() as session:
            rows = session.execute(
                select(BatchDocument.status, func.count()).group_by(BatchDocument.status)
            ).all()
        return {status: count for status, count in rows}

    # working -----------------------------------------------------------------------

    def run_job(self, job_id: str, concurrency: int) -> None:
        """Score every unfinished document of a job, ``concurrency`` at a time."""
        with self.sessions() as session:
            ids = list(
                session.scalars(
                    select(BatchDocument.id)
                    .where(BatchDocument.job_id == job_id, BatchDocument.status.in_(UNFINISHED))
                    .order_by(BatchDocument.position)
                )
            )
        with ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="job") as executor:
            for _ in executor.map(self.process_document, ids):
                pass

    def process_document(self, document_id: int) -> None:
        """Score one document of a job and record the outcome. Does nothing if it is
        already finished, so a message delivered twice is harmless. Raises only when the
        database fails (the queue then tries again later)."""
        claimed = self._claim(document_id)
        if claimed is None:
            return
        document, job = claimed
        instance = f"{JOBS_PREFIX}/{job.id}"
        if document.attempts > MAX_DOCUMENT_ATTEMPTS:
            stops = document.attempts - 1
            self._finish(
                document_id,
                FAILED,
                problem=problem_body(
                    422,
                    f"The worker scoring this document stopped {stops} times before it "
                    "finished (killed, or its machine lost); it is not tried again.",
                    instance=instance,
                    code="audit-aborted",
                ),
            )
            return
        try:
            saved = self.audits.create(
                document.data or b"",
                name=document.name,
                rubric=job.rubric_id,
                jurisdiction=job.jurisdiction or None,
                default_name=document.default_name,
                force=job.force,
                delete_token_hash=job.delete_token_hash,
            )
        except Problem as problem:
            body = problem_body(
                problem.status, problem.detail, instance=instance, code=problem.code
            )
            self._finish(document_id, FAILED, problem=body)
        except PolicyAuditError as error:
            self._finish(document_id, FAILED, problem=problem_for_error(error, instance))
        except SQLAlchemyError:
            raise  # storage trouble, not the document's: let the queue try again
        except Exception:
            log.exception("job %s: document %d failed unexpectedly", job.id, document.position)
            body = problem_body(
                500,
                "This document could not be scored because of an error on our side.",
                instance=instance,
                code="internal-error",
            )
            self._finish(document_id, FAILED, problem=body)
        else:
            self._finish(document_id, DONE, audit_id=saved.audit.id, created=saved.created)

    def _claim(self, document_id: int) -> tuple[Claimed, JobSpec] | None:
        """Mark the document running (one more attempt) and read it, in one statement;
        None when it is already finished (or its job was deleted)."""
        columns = Claimed.columns()
        with self.sessions() as session:
            row = session.execute(
                update(BatchDocument)
                .where(BatchDocument.id == document_id, BatchDocument.status.in_(UNFINISHED))
                .values(status=RUNNING, attempts=BatchDocument.attempts + 1, started_at=utcnow())
                .returning(*columns)
            ).first()
            session.commit()
            if row is None:
                return None
            document = Claimed(*row)
            spec = self._specs.get(document.job_id)
            if spec is None:  # a job's settings never change: read them once per worker
                job = session.get(BatchJob, document.job_id)
                if job is None:
                    return None
                spec = JobSpec(
                    job.id, job.rubric_id, job.jurisdiction, job.delete_token_hash, job.force
                )
                self._specs[job.id] = spec
            return document, spec

    def _finish(
        self,
        document_id: int,
        status: str,
        *,
        audit_id: str | None = None,
        created: bool | None = None,
        problem: dict[str, Any] | None = None,
    ) -> None:
        with self.sessions() as session:
            session.execute(
                update(BatchDocument)
                .where(BatchDocument.id == document_id)
                .values(
                    status=status,
                    audit_id=audit_id,
                    created=created,
                    problem=problem,
                    finished_at=utcnow(),
                    data=None,  # the audit keeps the text; the upload is no longer needed
                )
            )
            session.commit()


def job_status(documents: Sequence[BatchDocument]) -> str:
    """``queued`` until a worker takes a document, ``running``, then ``done`` when every
    document is finished (scored or failed)."""
    if all(d.status in (DONE, FAILED) for d in documents):
        return "done"
    if any(d.started_at is not None for d in documents):
        return "running"
    return "queued"


def finished_at(documents: Sequence[BatchDocument]) -> str | None:
    if any(d.status in UNFINISHED for d in documents):
        return None
    moments = [as_utc(d.finished_at) for d in documents if d.finished_at is not None]
    return max(moments).isoformat() if moments else None
