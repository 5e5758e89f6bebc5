"""``policy-audit worker``: score queued large-batch jobs against the service's database.

Start one per machine (each uses an audit process per core, ``--concurrency``). With
PostgreSQL, start as many machines as you like against the same database; with SQLite,
one worker runs next to the service on the same machine.
"""

from __future__ import annotations

import logging
import os
from contextlib import nullcontext

from policy_audit import AuditPool

from .db import migrate
from .job_expiry import ExpirySweeper
from .job_queue import PostgresQueue, SqliteQueue, describe, make_queue
from .job_service import JobService
from .server import DATABASE_ENV
from .service import AuditService, make_pool
from .settings import Settings

log = logging.getLogger("api.jobs")


def run_worker(
    database: str | None = None,
    concurrency: int | None = None,
    *,
    pool: AuditPool | None = None,
) -> None:
    """Run until SIGINT or SIGTERM. ``database`` overrides POLICY_AUDIT_DATABASE_URL;
    ``concurrency``: documents scored at once (default POLICY_AUDIT_WORKERS, else the
    number of cores); ``pool``: an audit pool to use instead (tests)."""
    if database:
        os.environ[DATABASE_ENV] = database
    settings = Settings.from_env()
    if concurrency:
        settings = settings.model_copy(update={"workers": concurrency})
    queue = make_queue(settings.database_url, settings.job_stalled_seconds)
    audits = AuditService(settings, pool=pool or make_pool(settings))
    migrate(audits.engine)  # the same schema the service would create
    jobs = JobService(audits, queue)
    size = audits.pool.size
    sweeper = ExpirySweeper(jobs.purge_expired) if jobs.keep is not None else None
    try:
        # On SQLite, refuse at once (before starting audit processes) if a worker runs.
        exclusive = queue.worker_lock() if isinstance(queue, SqliteQueue) else nullcontext()
        with exclusive:
            logging.basicConfig(level=logging.INFO, format="policy-audit worker: %(message)s")
            log.info("queue: %s; scoring %d documents at once", describe(queue), size)
            audits.pool.start()
            if sweeper is not None:
                sweeper.start()
            if isinstance(queue, PostgresQueue):
                queue.run_worker(jobs.process_document, concurrency=size)
            else:
                queue.run_worker(lambda job_id: jobs.run_job(job_id, size), jobs.unfinished_jobs)
    finally:
        if sweeper is not None:
            sweeper.stop()
        queue.close()
        audits.dispose()
        if pool is not None:
            pool.close()
