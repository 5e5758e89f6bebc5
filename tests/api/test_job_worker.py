"""Jobs survive SIGKILL: of the service that accepted them, and of the worker scoring them.

Real processes on 127.0.0.1: ``policy-audit serve`` takes a job and is killed; a worker
starts on it and is killed (with its audit processes) in the middle of a document; a new
``policy-audit worker`` finishes the job: every document scored exactly once, the one
that was interrupted scored again. On SQLite and, with TEST_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from api.db import Audit
from api.job_service import JobService
from api.service import AuditService
from api.settings import Settings
from policy_audit.worker import AuditPool

from .conftest import policy_text
from .test_concurrency import ROOT, Server

# A worker whose audit of any document named "slow…" touches the file named by the
# document's text and then sleeps (tests/slow_audit.py): a document that is surely being
# scored when the worker is killed.
SLOW_WORKER = (
    "import sys\n"
    "from api.job_worker import run_worker\n"
    "from policy_audit.worker import AuditPool\n"
    "from tests.slow_audit import misbehaving\n"
    "if __name__ == '__main__':\n"
    "    run_worker(sys.argv[1], pool=AuditPool(1, target=misbehaving, deadline=None))\n"
)
WORKER_ENV = {"POLICY_AUDIT_JOB_STALLED_SECONDS": "3", "POLICY_AUDIT_WORKERS": "1"}


def start(command: list[str]) -> subprocess.Popen[bytes]:
    # A session of its own, so that killing the group also kills its audit processes,
    # as losing the machine would.
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **WORKER_ENV}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@contextlib.contextmanager
def live_worker(url: str, *options: str) -> Iterator[subprocess.Popen[bytes]]:
    """``policy-audit worker`` running on ``url`` (with ``options``); stopped with SIGTERM
    on the way out, and it must stop cleanly (exit 0)."""
    worker = start([sys.executable, "-m", "policy_audit", "worker", "--database", url,
                    *options])
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            kill_group(worker)
    assert worker.returncode == 0


def wait_until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:g} s")
        time.sleep(0.2)


def test_jobs_survive_sigkill_of_the_service_and_of_the_worker(
    database_url: str, tmp_path: Path, audit_pool: AuditPool
) -> None:
    marker = tmp_path / "slow-document-started"
    server = Server(database_url, env={"POLICY_AUDIT_WORKERS": "1"})
    server.start()
    try:
        documents = [{"name": "slow-1.txt", "text": str(marker)}]
        documents += [{"name": f"p{i}.txt", "text": policy_text(f"K{i}")} for i in range(5)]
        accepted = httpx.post(f"{server.url}/api/v1/jobs", json={"documents": documents},
                              timeout=60)
        assert accepted.status_code == 202, accepted.text
        job_id = accepted.json()["id"]
    finally:
        assert server.process is not None
        server.process.kill()  # SIGKILL the service right after it accepted the job
        server.process.wait(timeout=30)
        server.process = None

    # The same stalled-worker time as the workers below (their environment).
    settings = Settings(database_url=database_url, job_stalled_seconds=3)
    jobs = JobService(AuditService(settings, pool=audit_pool))
    try:
        first = start([sys.executable, "-c", SLOW_WORKER, database_url])
        try:
            wait_until(marker.exists, 120, "the worker starting the slow document")
        finally:
            kill_group(first)  # SIGKILL the worker and its audit process mid-document
        _, documents_now = jobs.get(job_id)
        assert documents_now[0].status == "running"  # left behind by the killed worker

        with live_worker(database_url, "--concurrency", "2"):
            def finished() -> bool:
                return all(d.status in ("done", "failed") for d in jobs.get(job_id)[1])

            wait_until(finished, 180, "the job finishing after the restart")
            assert jobs.live_workers() >= 1  # so a waiting job carries no "no worker" warning
            if not database_url.startswith("postgresql"):
                # On SQLite a second worker is refused, clearly, while one runs.
                third = subprocess.run(
                    [sys.executable, "-m", "policy_audit", "worker", "--database", database_url],
                    cwd=ROOT, env={**os.environ, **WORKER_ENV}, capture_output=True,
                    timeout=120,
                )
                assert third.returncode == 2, third.stderr
                assert b"already running" in third.stderr
        # A stopped worker is no longer counted (on PostgreSQL, at the latest once its
        # heartbeat is POLICY_AUDIT_JOB_STALLED_SECONDS old).
        wait_until(lambda: jobs.live_workers() == 0, 10, "the stopped worker not counted")

        _, stored = jobs.get(job_id)
        interrupted, *others = stored
        assert interrupted.attempts == 2  # taken again after its worker was killed
        assert interrupted.status in ("done", "failed")
        assert [d.status for d in others] == ["done"] * 5
        assert all(d.created for d in others)
        with jobs.sessions() as session:
            audits = session.scalar(select(func.count()).select_from(Audit))
        done_ids = {d.audit_id for d in stored if d.status == "done"}
        assert audits == len(done_ids)  # each document scored into exactly one audit
    finally:
        jobs.audits.engine.dispose()
        jobs.close()


def test_the_worker_command_says_when_the_database_is_unreachable() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policy_audit", "worker", "--database",
         "postgresql://nobody:nothing@127.0.0.1:9/none"],
        cwd=ROOT, capture_output=True, timeout=120,
    )
    assert result.returncode == 2
    message = result.stderr.decode()
    assert "cannot reach the database" in message and "Traceback" not in message


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_the_worker_command_refuses_a_database_it_cannot_share(url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policy_audit", "worker", "--database", url],
        cwd=ROOT, capture_output=True, timeout=120,
    )
    assert result.returncode == 2
    assert b"need a database file" in result.stderr and b"Traceback" not in result.stderr


class SilentQueue:
    """A queue that loses every message: what a job looks like whose message was spent
    without finishing it (its task failed on every attempt while the database was away)."""

    backend = "sqlite"

    def enqueue(self, job_id: str, document_ids: object) -> None:
        pass

    def close(self) -> None:
        pass


def test_on_sqlite_the_worker_requeues_a_job_left_without_a_message(
    tmp_path: Path, audit_pool: AuditPool
) -> None:
    from api.job_queue import SqliteQueue
    from api.job_service import JobItem

    url = f"sqlite:///{tmp_path / 'audits.db'}"
    audits = AuditService(Settings(database_url=url), pool=audit_pool)
    audits.migrate()
    queue = SqliteQueue(url)
    jobs = JobService(audits, queue)
    try:
        job, _ = jobs.submit([JobItem("a.txt", policy_text("R1").encode())], rubric=None,
                             jurisdiction=None)
        assert queue.pending_jobs() == {job.id}
        assert queue.requeue_orphans(jobs.unfinished_jobs) == 0  # its message waits
        queue.huey.flush()  # the message is spent
        assert queue.requeue_orphans(jobs.unfinished_jobs) == 1
        assert queue.pending_jobs() == {job.id}
        queue.huey.flush()
        queue._running.add(job.id)  # this worker is scoring it right now
        assert queue.requeue_orphans(jobs.unfinished_jobs) == 0
        queue._running.clear()
        jobs.run_job(job.id, 1)  # finished: nothing left to queue
        assert queue.requeue_orphans(jobs.unfinished_jobs) == 0
    finally:
        jobs.close()
        audits.dispose()


def test_on_sqlite_a_running_worker_takes_a_job_left_without_a_message(
    tmp_path: Path, audit_pool: AuditPool
) -> None:
    from api.job_service import JobItem

    url = f"sqlite:///{tmp_path / 'audits.db'}"
    audits = AuditService(Settings(database_url=url), pool=audit_pool)
    audits.migrate()
    jobs = JobService(audits, SilentQueue())  # type: ignore[arg-type]
    try:
        with live_worker(url):
            wait_until(lambda: jobs_live(url) == 1, 120, "the worker starting")
            job, _ = jobs.submit([JobItem(f"o{i}.txt", policy_text(f"O{i}").encode())
                                  for i in range(2)], rubric=None, jurisdiction=None)

            def finished() -> bool:
                return all(d.status == "done" for d in jobs.get(job.id)[1])

            # Found by the worker's sweep (every POLICY_AUDIT_JOB_STALLED_SECONDS, 3 s
            # here), with no restart.
            wait_until(finished, 120, "the running worker taking the job")
    finally:
        audits.dispose()


def jobs_live(url: str) -> int:
    from api.job_queue import SqliteQueue

    queue = SqliteQueue(url)
    try:
        return queue.live_workers()
    finally:
        queue.close()


# PostgreSQL: documents whose procrastinate task gave up ---------------------------------


@pytest.fixture
def pg_url() -> str:
    from .conftest import PG_ENV, _reset_postgres

    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://user:pass@host/db")
    _reset_postgres(url)
    return url


def give_up_on_tasks(jobs: JobService) -> int:
    """What procrastinate leaves after the last attempt of a task failed: the job row
    ``failed``. Returns how many were marked."""
    from sqlalchemy import text

    from api.job_queue import SCORE_DOCUMENT

    with jobs.audits.engine.begin() as connection:
        return connection.execute(
            text("UPDATE procrastinate_jobs SET status = 'failed' "
                 "WHERE task_name = :task AND status IN ('todo', 'doing')"),
            {"task": SCORE_DOCUMENT},
        ).rowcount


def age_jobs(jobs: JobService) -> None:
    """Put the jobs' creation an hour back (past the sweep's grace for new jobs)."""
    from sqlalchemy import text

    with jobs.audits.engine.begin() as connection:
        connection.execute(text("UPDATE batch_jobs SET created_at = created_at - "
                                "interval '1 hour'"))


def messages_per_document(jobs: JobService) -> dict[int, int]:
    from sqlalchemy import text

    with jobs.audits.engine.begin() as connection:
        rows = connection.execute(text(
            "SELECT (args ->> 'document_id')::int, count(*) FROM procrastinate_jobs "
            "WHERE status IN ('todo', 'doing') GROUP BY 1")).all()
    return {document: count for document, count in rows}


def test_on_postgresql_documents_whose_task_gave_up_are_queued_again_once(
    pg_url: str, audit_pool: AuditPool
) -> None:
    import asyncio

    from sqlalchemy import text

    from api.job_queue import ORPHAN_SWEEP_LOCK, PostgresQueue
    from api.job_service import JobItem

    audits = AuditService(Settings(database_url=pg_url), pool=audit_pool)
    audits.migrate()
    jobs = JobService(audits, PostgresQueue(pg_url, stalled_seconds=3))
    # Two workers' queues, sweeping.
    first, second = (PostgresQueue(pg_url, stalled_seconds=3) for _ in range(2))

    async def sweep(*queues: PostgresQueue) -> list[int]:
        async with first.app.open_async(), second.app.open_async():
            return list(await asyncio.gather(*(q.requeue_orphans() for q in queues)))

    try:
        job, _ = jobs.submit([JobItem(f"g{i}.txt", policy_text(f"G{i}").encode())
                              for i in range(2)], rubric=None, jurisdiction=None)
        ids = [d.id for d in jobs.get(job.id)[1]]
        assert sweep_total(sweep(first)) == 0  # their messages wait
        assert give_up_on_tasks(jobs) == 2
        assert sweep_total(sweep(first)) == 0  # a job just stored is left alone a while
        age_jobs(jobs)
        # Two workers sweeping at once queue each document once.
        assert sweep_total(sweep(first, second)) == 2
        assert messages_per_document(jobs) == {ids[0]: 1, ids[1]: 1}
        assert sweep_total(sweep(first)) == 0  # the new messages wait

        give_up_on_tasks(jobs)
        with audits.engine.begin() as connection:  # another worker is sweeping right now
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": ORPHAN_SWEEP_LOCK})
            assert sweep_total(sweep(second)) == 0
        assert sweep_total(sweep(second)) == 2

        for document_id in ids:  # scored: nothing left to queue, whatever the messages
            jobs.process_document(document_id)
        give_up_on_tasks(jobs)
        assert sweep_total(sweep(first)) == 0
        assert [d.status for d in jobs.get(job.id)[1]] == ["done", "done"]
    finally:
        jobs.close()
        audits.dispose()


def sweep_total(coroutine) -> int:  # type: ignore[no-untyped-def]
    import asyncio

    return sum(asyncio.run(coroutine))


class ScheduledLaterQueue:
    """Queues each document's message an hour ahead, so the running worker does not take
    it before the test marks it failed."""

    backend = "postgresql"

    def __init__(self, url: str) -> None:
        from api.job_queue import PostgresQueue

        self.inner = PostgresQueue(url)

    def enqueue(self, job_id: str, document_ids: list[int]) -> None:
        from api.job_queue import QUEUE, SCORE_DOCUMENT

        self.inner.app.open()
        deferrer = self.inner.app.configure_task(
            name=SCORE_DOCUMENT, queue=QUEUE, schedule_in={"hours": 1})
        deferrer.batch_defer(*[{"document_id": d} for d in document_ids])

    def live_workers(self) -> int:
        return self.inner.live_workers()

    def close(self) -> None:
        self.inner.app.close()


def test_on_postgresql_a_running_worker_takes_documents_whose_task_gave_up(
    pg_url: str, audit_pool: AuditPool
) -> None:
    from api.job_service import JobItem

    audits = AuditService(Settings(database_url=pg_url), pool=audit_pool)
    audits.migrate()
    jobs = JobService(audits, ScheduledLaterQueue(pg_url))  # type: ignore[arg-type]
    try:
        with live_worker(pg_url):
            wait_until(lambda: jobs.live_workers() == 1, 120, "the worker starting")
            job, _ = jobs.submit([JobItem(f"f{i}.txt", policy_text(f"F{i}").encode())
                                  for i in range(2)], rubric=None, jurisdiction=None)
            assert give_up_on_tasks(jobs) == 2  # procrastinate gave up on both

            def finished() -> bool:
                return all(d.status == "done" for d in jobs.get(job.id)[1])

            # Found by the worker's sweep (every POLICY_AUDIT_JOB_STALLED_SECONDS / 2, once
            # the job is 3 s old here), with no restart.
            wait_until(finished, 120, "the running worker taking the documents")
    finally:
        jobs.close()
        audits.dispose()
