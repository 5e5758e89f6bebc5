"""Expiry of finished jobs: uploads are dropped as each document finishes, a finished job's
record goes POLICY_AUDIT_JOB_RETENTION_DAYS later (a 404, then purged), its audits stay, and
unfinished jobs never expire. The clock is put forward; nothing sleeps."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api.app import create_app
from api.db import utcnow
from api.job_expiry import ExpirySweeper
from api.job_service import JobService
from api.job_store import BatchDocument, BatchJob
from api.settings import Settings
from policy_audit.worker import AuditPool

from .conftest import is_problem, policy_text
from .test_jobs import run_jobs, submit


def later(jobs: JobService, days: float) -> None:
    moment = utcnow() + timedelta(days=days)
    jobs.clock = lambda: moment


def rows(jobs: JobService, job_id: str) -> tuple[int, int]:
    with jobs.sessions() as session:
        job = session.scalar(select(func.count()).select_from(BatchJob)
                             .where(BatchJob.id == job_id))
        documents = session.scalar(select(func.count()).select_from(BatchDocument)
                                   .where(BatchDocument.job_id == job_id))
    return job or 0, documents or 0


def stored_bytes(jobs: JobService, job_id: str) -> list[bytes | None]:
    with jobs.sessions() as session:
        return list(session.scalars(select(BatchDocument.data)
                                    .where(BatchDocument.job_id == job_id)
                                    .order_by(BatchDocument.position)))


def test_uploads_are_dropped_as_soon_as_each_document_is_scored_or_failed(
    client: TestClient,
) -> None:
    jobs: JobService = client.app.state.jobs
    job = submit(client, [policy_text("B1"), "   \n"])
    assert all(stored_bytes(jobs, job["id"]))  # held until a worker scores them
    run_jobs(client)
    statuses = [d["status"] for d in client.get(f"/api/v1/jobs/{job['id']}").json()["documents"]]
    assert statuses == ["done", "failed"]
    assert stored_bytes(jobs, job["id"]) == [None, None]


def test_a_finished_job_expires_after_the_retention_and_its_audits_stay(
    client: TestClient,
) -> None:
    jobs: JobService = client.app.state.jobs
    job = submit(client, [policy_text("E1"), policy_text("E2")])
    run_jobs(client)
    url = f"/api/v1/jobs/{job['id']}"
    audits = [d["id"] for d in client.get(url).json()["documents"]]

    later(jobs, 29)  # the default keeps it 30 days after its last document finished
    assert client.get(url).status_code == 200
    assert jobs.purge_expired() == 0

    later(jobs, 31)
    gone = client.get(url)
    assert is_problem(gone, 404) and "30 days" in gone.json()["detail"]
    bearer = {"Authorization": f"Bearer {job['delete_token']}"}
    assert client.delete(url, headers=bearer).status_code == 404
    assert rows(jobs, job["id"]) == (1, 2)  # a 404 already, before the sweep
    assert jobs.purge_expired() == 1
    assert rows(jobs, job["id"]) == (0, 0)
    assert jobs.purge_expired() == 0  # idempotent
    for audit_id in audits:  # the audits follow their own rule: kept until deleted
        assert client.get(f"/api/v1/audits/{audit_id}").status_code == 200
        assert client.delete(f"/api/v1/audits/{audit_id}", headers=bearer).status_code == 204


def test_an_unfinished_job_never_expires_and_keeps_its_uploads(client: TestClient) -> None:
    jobs: JobService = client.app.state.jobs
    job = submit(client, [policy_text("U1")])  # no worker runs: it stays queued
    later(jobs, 3650)
    assert jobs.purge_expired() == 0
    assert client.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "queued"
    assert all(stored_bytes(jobs, job["id"]))


def test_a_job_refused_entirely_on_arrival_expires_too(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(max_upload_bytes=2000)
    jobs: JobService = client.app.state.jobs
    response = client.post("/api/v1/jobs", files=[  # over the limit: failed on arrival
        ("files", ("big-1.txt", b"y" * 5000, "text/plain")),
        ("files", ("big-2.txt", b"z" * 5000, "text/plain")),
    ])
    job = response.json()
    assert response.status_code == 202 and job["status"] == "done"  # no worker needed
    later(jobs, 31)
    assert jobs.purge_expired() == 1
    assert rows(jobs, job["id"]) == (0, 0)


def test_retention_zero_keeps_jobs_until_deleted(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_retention_days=0)
    jobs: JobService = client.app.state.jobs
    assert client.app.state.expiry is None  # nothing to sweep
    job = submit(client, [policy_text("Z1")])
    run_jobs(client)
    later(jobs, 36500)
    assert jobs.purge_expired() == 0
    assert client.get(f"/api/v1/jobs/{job['id']}").status_code == 200


def test_several_processes_purging_at_once_delete_each_job_once(
    make_client: Callable[..., TestClient],
) -> None:
    first, second = make_client(), make_client()  # two web processes on one database
    ids = [submit(first, [policy_text(f"P{i}")])["id"] for i in range(3)]
    run_jobs(first)
    services: list[JobService] = [first.app.state.jobs, second.app.state.jobs]
    for jobs in services:
        later(jobs, 40)
    errors: list[BaseException] = []

    def purge(jobs: JobService) -> None:
        try:
            jobs.purge_expired()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=purge, args=(jobs,)) for jobs in services * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(rows(services[0], job_id) == (0, 0) for job_id in ids)


def test_the_service_purges_on_its_own_while_it_runs(
    database_url: str, audit_pool: AuditPool
) -> None:
    app = create_app(Settings(database_url=database_url), pool=audit_pool)
    jobs: JobService = app.state.jobs
    try:
        client = TestClient(app)
        job = submit(client, [policy_text("S1")])
        run_jobs(client)
        later(jobs, 31)
        assert rows(jobs, job["id"]) == (1, 1)
        with TestClient(app):  # start-up starts the sweeper; shut-down waits for its pass
            pass
        assert rows(jobs, job["id"]) == (0, 0)
    finally:
        jobs.close()
        app.state.service.dispose()


def test_the_sweeper_goes_on_after_a_failed_pass() -> None:
    calls: list[int] = []
    second_pass = threading.Event()

    def purge() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away")
        second_pass.set()
        return 0

    sweeper = ExpirySweeper(purge, interval=0.01)
    sweeper.start()
    assert second_pass.wait(timeout=30)
    sweeper.stop()
    assert len(calls) >= 2


def test_the_retention_setting() -> None:
    assert Settings.from_env({}).job_retention_days == 30
    assert Settings.from_env({"POLICY_AUDIT_JOB_RETENTION_DAYS": "0"}).job_retention_days == 0
    assert Settings.from_env({"POLICY_AUDIT_JOB_RETENTION_DAYS": "7.5"}).job_retention_days == 7.5
    with pytest.raises(ValidationError):
        Settings.from_env({"POLICY_AUDIT_JOB_RETENTION_DAYS": "-1"})
