"""The durable queue that carries large-batch jobs to ``policy-audit worker`` processes.

It lives in the service's own database, through a maintained job library, chosen by the
database the service uses:

- **PostgreSQL: procrastinate.** One queue message per document, so every worker
  machine pointed at the same database takes documents of the same job. Workers send a
  heartbeat; the documents of a worker that stopped sending it (killed, machine lost)
  are put back on the queue by the other workers (``procrastinate``'s stalled-job
  retry), and by any worker when it starts. A document whose message procrastinate gave
  up on (its task failed on every attempt: the database away) would wait for ever, so
  every worker, when it starts and then every ``POLICY_AUDIT_JOB_STALLED_SECONDS`` / 2,
  queues again each unfinished document that has no message waiting (``todo``, a
  scheduled retry included) or in hand (``doing``). One worker at a time does this (an
  advisory lock), so workers sweeping together do not queue a document twice.
- **SQLite: huey** (``SqliteHuey``, its tables in the same database file). SQLite is one
  machine's file, so exactly one worker runs against it (a lock file enforces this) and
  it scores the documents of one job at a time, as many at once as it has audit
  processes. huey deletes a message when it is delivered, so the worker puts back every
  job that has unfinished documents, no message waiting or scheduled, and is not being
  scored by this worker: when it starts, before it takes anything, and then every
  ``POLICY_AUDIT_JOB_STALLED_SECONDS``. At start this resumes a job whose worker was
  killed; while it runs, a job whose message was spent without finishing it (its task
  failed on every attempt, the database away). There is no live worker that could take
  over from a dead one on SQLite: the lock lets only one run, so a killed worker means no
  worker until one is started again (run it under a supervisor that restarts it).

In both cases the rows in ``batch_jobs`` / ``batch_documents`` are the record and the
message only says which document (or job) to look at: handling one twice is harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.engine import make_url

from .job_store import UNFINISHED

if TYPE_CHECKING:
    from procrastinate.types import JSONDict

from .db import normalize_url

log = logging.getLogger("api.jobs")

SCORE_DOCUMENT = "policy_audit.score_document"  # procrastinate task: one document
RUN_JOB = "policy_audit.run_job"  # huey task: every unfinished document of one job
QUEUE = "policy_audit"
# A document whose task failed for a reason that is not about the document (the
# database went away) is tried again this many times in all.
TASK_ATTEMPTS = 5
RETRY_SECONDS = 10


class WorkerAlreadyRunning(RuntimeError):
    """Another worker holds the SQLite database's worker lock."""


class JobQueue(Protocol):
    backend: str

    def enqueue(self, job_id: str, document_ids: Sequence[int]) -> None:
        """Put a newly stored job's documents on the queue."""

    def close(self) -> None: ...


# Tables the queue libraries create and manage themselves (procrastinate's through our
# migration, huey's when first used): not in our models, so Alembic must leave them alone.
HUEY_TABLES = frozenset({"task", "schedule", "kv", "counter"})


def is_queue_library_table(name: str | None) -> bool:
    if not name:
        return False
    return name.startswith("procrastinate_") or name in HUEY_TABLES


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Alembic ``include_name`` hook: compare only our own tables."""
    return not (type_ == "table" and is_queue_library_table(name))


def is_postgres(database_url: str) -> bool:
    return make_url(normalize_url(database_url)).get_backend_name() == "postgresql"


def make_queue(database_url: str, stalled_seconds: float = 30.0) -> PostgresQueue | SqliteQueue:
    if is_postgres(database_url):
        return PostgresQueue(
            database_url, stalled_seconds=stalled_seconds, heartbeat_seconds=stalled_seconds / 3
        )
    return SqliteQueue(database_url, sweep_seconds=stalled_seconds)


# PostgreSQL: procrastinate ---------------------------------------------------------

# Held (for one transaction) by the worker sweeping for orphaned documents, so that two
# workers sweeping at the same moment cannot both queue the same document. Any constant
# no other code uses as an advisory lock key.
ORPHAN_SWEEP_LOCK = 0x706F6C696379  # "policy" in ASCII

# Unfinished documents with no message waiting (todo, a retry scheduled later included) or
# in hand (doing). One statement, so one snapshot of both tables: a document finished
# since is not unfinished in it. Documents of jobs younger than ``grace`` seconds are left
# alone: the service stores a job's rows before it queues their messages.
ORPHANED_DOCUMENTS = """
SELECT d.id
FROM batch_documents d JOIN batch_jobs j ON j.id = d.job_id
WHERE d.status = ANY(%(unfinished)s)
  AND j.created_at < now() - make_interval(secs => %(grace)s)
  AND NOT EXISTS (
      SELECT 1 FROM procrastinate_jobs p
      WHERE p.queue_name = %(queue)s AND p.task_name = %(task)s
        AND p.status IN ('todo', 'doing')
        AND p.args ->> 'document_id' = d.id::text)
ORDER BY d.id
"""


def libpq_conninfo(database_url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) as the URL libpq understands."""
    url = make_url(normalize_url(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PostgresQueue:
    backend = "postgresql"

    def __init__(
        self,
        database_url: str,
        *,
        stalled_seconds: float = 30.0,
        heartbeat_seconds: float = 10.0,
    ) -> None:
        import procrastinate

        self.stalled_seconds = stalled_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.conninfo = libpq_conninfo(database_url)
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=self.conninfo, min_size=1, max_size=4
            )
        )
        self._open = False
        self._opening = threading.Lock()  # requests queue jobs from several threads

    def enqueue(self, job_id: str, document_ids: Sequence[int]) -> None:
        with self._opening:
            if not self._open:
                self.app.open()
                self._open = True
        deferrer = self.app.configure_task(name=SCORE_DOCUMENT, queue=QUEUE)
        messages: list[JSONDict] = [{"document_id": document_id} for document_id in document_ids]
        deferrer.batch_defer(*messages)

    def close(self) -> None:
        with self._opening:
            if self._open:
                self.app.close()
                self._open = False

    def run_worker(self, score_document: Callable[[int], None], concurrency: int) -> None:
        """Take documents until SIGINT/SIGTERM (then finish the ones being scored)."""
        from procrastinate import RetryStrategy

        self.app.task(
            name=SCORE_DOCUMENT,
            queue=QUEUE,
            retry=RetryStrategy(max_attempts=TASK_ATTEMPTS, wait=RETRY_SECONDS),
        )(score_document)
        asyncio.run(self._work(concurrency))

    async def _work(self, concurrency: int) -> None:
        async with self.app.open_async():
            await self.retry_stalled()
            await self.requeue_orphans()
            sweeper = asyncio.create_task(self._sweep())
            try:
                await self.app.run_worker_async(
                    queues=[QUEUE],
                    concurrency=concurrency,
                    name=f"policy-audit@{os.uname().nodename}:{os.getpid()}",
                    update_heartbeat_interval=self.heartbeat_seconds,
                    stalled_worker_timeout=self.stalled_seconds,
                    delete_jobs="successful",
                    fetch_job_polling_interval=2.0,
                )
            finally:
                sweeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeper

    def live_workers(self) -> int:
        """Workers whose heartbeat is recent."""
        with self._opening:
            if not self._open:
                self.app.open()
                self._open = True
        connector = self.app.connector.get_sync_connector()
        row = connector.execute_query_one(
            "SELECT count(*) AS workers FROM procrastinate_workers "
            "WHERE last_heartbeat > now() - make_interval(secs => %(seconds)s)",
            seconds=self.stalled_seconds,
        )
        return int(row["workers"])

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self.stalled_seconds / 2)
            try:
                await self.retry_stalled()
                await self.requeue_orphans()
            except Exception:  # a database blip: try again at the next sweep
                log.exception("could not look for stalled or orphaned documents")

    async def retry_stalled(self) -> int:
        """Put back the documents of workers whose heartbeat stopped; how many."""
        manager = self.app.job_manager
        stalled = await manager.get_stalled_jobs(
            queue=QUEUE, seconds_since_heartbeat=self.stalled_seconds
        )
        count = 0
        for job in stalled:
            log.warning("document task %s was left by a stopped worker: queued again", job.id)
            await manager.retry_job(job)
            count += 1
        return count

    async def requeue_orphans(self) -> int:
        """Queue again every unfinished document that no message will bring to a worker
        (its task gave up); how many. Needs the app open. Returns 0 at once while another
        worker sweeps: it holds the lock until its messages are committed, so the next
        sweep sees them and does not queue the documents again."""
        import psycopg

        deferrer = self.app.configure_task(name=SCORE_DOCUMENT, queue=QUEUE)
        # One transaction: the advisory lock is released when it ends, after the messages
        # (sent on procrastinate's own connection) are committed.
        connect = psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
        async with await connect as connection, connection.transaction():
            cursor = await connection.execute(
                "SELECT pg_try_advisory_xact_lock(%s)", (ORPHAN_SWEEP_LOCK,)
            )
            locked = await cursor.fetchone()
            if not locked or not locked[0]:
                return 0
            cursor = await connection.execute(ORPHANED_DOCUMENTS, {
                "unfinished": list(UNFINISHED), "grace": self.stalled_seconds,
                "queue": QUEUE, "task": SCORE_DOCUMENT,
            })
            orphans = [int(row[0]) for row in await cursor.fetchall()]
            if orphans:
                log.warning("documents %s were unfinished with no queue message (their "
                            "task gave up): queued again", orphans[:20])
                messages: list[JSONDict] = [{"document_id": id_} for id_ in orphans]
                await deferrer.batch_defer_async(*messages)
        return len(orphans)


# Every object procrastinate's schema creates is named procrastinate_*.
DROP_PROCRASTINATE = """
DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables
                WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.signature);
    END LOOP;
    FOR item IN SELECT t.typname FROM pg_type t
                JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%'
                  AND t.typtype IN ('e', 'c')
    LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
    END LOOP;
END $$;
"""


# SQLite: huey ----------------------------------------------------------------------


def sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise ValueError(
            "large-batch jobs need a database file (an in-memory SQLite database is not "
            "shared with a worker)"
        )
    return Path(database)


class SqliteQueue:
    backend = "sqlite"

    def __init__(self, database_url: str, *, sweep_seconds: float = 30.0) -> None:
        from huey import SqliteHuey

        self.path = sqlite_path(database_url)
        self.sweep_seconds = sweep_seconds
        self._running: set[str] = set()  # jobs this worker is scoring now
        self._running_lock = threading.Lock()
        # results=False: outcomes are in batch_documents, not in huey's result store.
        self.huey = SqliteHuey(
            name=QUEUE, filename=str(self.path), results=False, timeout=30, fsync=False
        )
        self._job_runner: Callable[[str], None] | None = None
        self.run_job = self.huey.task(
            name=RUN_JOB, retries=TASK_ATTEMPTS - 1, retry_delay=RETRY_SECONDS
        )(self._run_job)

    def _run_job(self, job_id: str) -> None:
        if self._job_runner is None:  # only a worker runs tasks
            raise RuntimeError("this process does not run jobs")
        with self._running_lock:
            self._running.add(job_id)
        try:
            self._job_runner(job_id)
        finally:
            with self._running_lock:
                self._running.discard(job_id)

    def enqueue(self, job_id: str, document_ids: Sequence[int]) -> None:
        self.huey.enqueue(self.run_job.s(job_id))

    def close(self) -> None:
        self.huey.storage.close()

    def pending_jobs(self) -> set[str]:
        """Job ids with a message waiting on the queue, or scheduled (a retry)."""
        return {
            task.args[0]
            for task in [*self.huey.pending(), *self.huey.scheduled()]
            if task.name == RUN_JOB and task.args
        }

    def requeue_orphans(self, unfinished_jobs: Callable[[], list[str]]) -> int:
        """Queue again every unfinished job that nothing will take: no message waiting or
        scheduled, and not being scored by this worker; how many. A job caught between
        huey handing out its message and the task starting is queued twice, which is
        harmless: the second run finds its documents finished."""
        with self._running_lock:
            busy = set(self._running)
        waiting = self.pending_jobs() | busy
        count = 0
        for job_id in unfinished_jobs():
            if job_id not in waiting:
                log.warning("job %s had unfinished documents and no message: queued again",
                            job_id)
                self.enqueue(job_id, ())
                count += 1
        return count

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".worker-lock")

    @contextlib.contextmanager
    def worker_lock(self) -> Iterator[None]:
        """Held by the one worker allowed on this database file (released if killed)."""
        with open(self.lock_path, "a+") as handle:
            # A few tries: ``live_workers`` takes the lock shared for an instant.
            for attempt in range(20):
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if attempt < 19:
                        time.sleep(0.1)
            else:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise WorkerAlreadyRunning(
                    f"a worker ({holder}) is already running against {self.path.name}; on "
                    "SQLite one worker uses every core it is given. To run workers on "
                    "several machines, use PostgreSQL."
                )
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            yield

    def live_workers(self) -> int:
        """1 while a worker holds the lock, else 0."""
        try:
            handle = open(self.lock_path, "rb")  # noqa: SIM115  (closed below)
        except FileNotFoundError:
            return 0
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return 1
            fcntl.flock(handle, fcntl.LOCK_UN)
            return 0

    def run_worker(
        self,
        run_job: Callable[[str], None],
        unfinished_jobs: Callable[[], list[str]],
    ) -> None:
        """Take jobs until SIGINT/SIGTERM. Call it holding ``worker_lock()``: the jobs
        found unfinished at start can only be those a stopped worker left."""
        self._job_runner = run_job
        self.requeue_orphans(unfinished_jobs)
        stop = threading.Event()

        def sweep() -> None:
            while not stop.wait(self.sweep_seconds):
                try:
                    self.requeue_orphans(unfinished_jobs)
                except Exception:  # the database away: look again at the next sweep
                    log.exception("could not look for jobs left without a message")

        sweeper = threading.Thread(target=sweep, name="job-sweep", daemon=True)
        sweeper.start()
        consumer = self.huey.create_consumer(
            workers=1, worker_type="thread", periodic=False, max_delay=1.0
        )
        try:
            consumer.run()
        finally:
            stop.set()


def describe(queue: Any) -> str:
    return "procrastinate (PostgreSQL)" if queue.backend == "postgresql" else "huey (SQLite)"
