"""Fixtures for the API tests: a TestClient on a fresh database.

Every test runs on SQLite (a file in tmp_path). When TEST_DATABASE_URL points at a
PostgreSQL database, every test runs there too; its tables are dropped before each test,
so use a throwaway database.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient-with-httpx deprecation notice
    from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from policy_audit.worker import AuditPool

PG_ENV = "TEST_DATABASE_URL"


def _reset_postgres(url: str) -> None:
    from sqlalchemy import text

    from api.db import make_engine
    from api.job_queue import DROP_PROCRASTINATE

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS comparisons"))
            connection.execute(text("DROP TABLE IF EXISTS batch_documents"))
            connection.execute(text("DROP TABLE IF EXISTS batch_jobs"))
            # The job queue's schema, as a script (its "%" are not placeholders).
            connection.connection.dbapi_connection.cursor().execute(DROP_PROCRASTINATE)
            connection.execute(text("DROP TABLE IF EXISTS audits"))
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audits.db'}"
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://user:pass@host/db")
    _reset_postgres(url)
    return url


@pytest.fixture(scope="session")
def audit_pool() -> Iterator[AuditPool]:
    """One pool of warm audit workers for every app in the session (starting workers for
    each test would cost a second or more each)."""
    with AuditPool(size=2) as pool:
        yield pool


@pytest.fixture
def make_client(
    database_url: str, audit_pool: AuditPool
) -> Iterator[Callable[..., TestClient]]:
    """``make_client(max_upload_bytes=...)``: a client on the test database; ``pool=``
    gives the app its own audit pool instead of the shared one."""
    apps: list[Any] = []

    def make(pool: AuditPool | None = None, **overrides: Any) -> TestClient:
        # Rate limits off unless a test turns them on: tests send bursts from one client.
        settings = Settings(database_url=database_url, **{"rate_limit": False, **overrides})
        app = create_app(settings, pool=pool or audit_pool)
        apps.append(app)
        return TestClient(app, raise_server_exceptions=False)

    yield make
    for app in apps:
        app.state.jobs.close()
        app.state.service.dispose()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def policy_text(tag: str = "A") -> str:
    """A short ALPR policy in our own words; ``tag`` makes documents differ."""
    return (
        f"Riverbend Police Department, Policy 4{tag}: License Plate Reader Use.\n\n"
        "1. Retention. Plate reads that are not linked to an open investigation shall be "
        "purged from the system no later than twenty-one (21) days after capture.\n\n"
        "2. Access. Members may search stored reads only for a documented case number, and "
        "every search is written to an audit log that the records supervisor reviews "
        "each month.\n\n"
        "3. Sharing. Read data shall not be provided to private entities, and it shall not "
        "be used for civil immigration enforcement.\n\n"
        "4. Reporting. The Chief shall publish a yearly summary of system use on the "
        "department website.\n"
    )


@pytest.fixture
def policy() -> Callable[[str], str]:
    return policy_text


def is_problem(response: Any, status: int) -> bool:
    body = response.json()
    return (
        response.status_code == status
        and response.headers["content-type"].startswith("application/problem+json")
        and {"type", "title", "status", "detail", "instance"} <= set(body)
        and body["status"] == status
    )
