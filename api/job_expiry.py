"""Expiry of finished jobs: their ``batch_jobs`` / ``batch_documents`` rows are purged
``POLICY_AUDIT_JOB_RETENTION_DAYS`` after the job's last document finished (0: never).

Only the job's record goes: the audits it created are ordinary audits, kept until deleted
with their token. A job with a document still queued or running never expires. The
uploaded bytes are not what expires here: they are cleared as each document finishes
(``JobService._finish``).

Every web process and every worker runs an ``ExpirySweeper``, so the purge needs no
operator and no single scheduler: the deletes are idempotent (each pass picks the expired
ids, then deletes by id; a row another process deleted first is simply not there), and a
finished job never gets work again, so nothing can race back into a purged job. Between
two passes, an expired job already answers 404 as if purged (``is_expired``), so what a
client sees does not depend on when the sweep last ran.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from .db import as_utc
from .job_store import UNFINISHED, BatchDocument, BatchJob

log = logging.getLogger("api.jobs")

# How often each process looks for expired jobs. Retention is counted in days, so an
# hour late is nothing; a pass is one grouped query on an indexed column.
SWEEP_SECONDS = 3600.0
BATCH = 500  # jobs deleted per transaction, so one pass never holds locks for long


def retention(days: float) -> timedelta | None:
    """The retention as a duration; None when jobs are kept until deleted."""
    return timedelta(days=days) if days > 0 else None


def is_expired(
    documents: Sequence[BatchDocument], now: datetime, keep: timedelta | None
) -> bool:
    """Every document finished, the last one more than ``keep`` ago."""
    if keep is None or not documents:
        return False
    if any(d.status in UNFINISHED or d.finished_at is None for d in documents):
        return False
    return max(as_utc(d.finished_at) for d in documents if d.finished_at) < now - keep


def expired_job_ids(session: Session, cutoff: datetime, limit: int = BATCH) -> list[str]:
    """Jobs whose documents are all finished, the last one before ``cutoff``."""
    unfinished = func.sum(case((BatchDocument.status.in_(UNFINISHED), 1), else_=0))
    query = (
        select(BatchDocument.job_id)
        .group_by(BatchDocument.job_id)
        .having(unfinished == 0, func.max(BatchDocument.finished_at) < cutoff)
        .limit(limit)
    )
    return list(session.scalars(query))


def purge(session: Session, now: datetime, keep: timedelta | None) -> int:
    """Delete the expired jobs' rows; how many jobs. Safe to run in several processes at
    once."""
    if keep is None:
        return 0
    purged = 0
    while True:
        ids = expired_job_ids(session, now - keep)
        if ids:
            # Documents first: SQLite does not enforce the ON DELETE CASCADE by default.
            session.execute(delete(BatchDocument).where(BatchDocument.job_id.in_(ids)))
            session.execute(delete(BatchJob).where(BatchJob.id.in_(ids)))
            session.commit()
            purged += len(ids)
        if len(ids) < BATCH:
            if purged:
                log.info("purged %d finished jobs past their retention", purged)
            return purged


class ExpirySweeper:
    """Calls ``purge`` at once and then every ``interval`` seconds, in a daemon thread,
    until ``stop()`` (which waits for the pass under way). A failing pass (the database
    away) is logged and tried again at the next."""

    def __init__(self, purge: Callable[[], int], interval: float = SWEEP_SECONDS) -> None:
        self._purge = purge
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="job-expiry", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        # One pass always runs, even when stopped at once (a short-lived process).
        while True:
            try:
                self._purge()
            except Exception:
                log.exception("could not purge expired jobs; trying again later")
            if self._stop.wait(self.interval):
                return
