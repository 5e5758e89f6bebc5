"""Scoring off the request path: the deadline and a killed worker give 422 problems, nothing
is stored, the pool recovers, and /healthz and pages answer while a document is scored."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.settings import Settings
from policy_audit.worker import AuditPool

from ..slow_audit import misbehaving, wait_for
from .conftest import is_problem, policy_text


@pytest.fixture(scope="module")
def slow_pool() -> Iterator[AuditPool]:
    """One worker; documents named slow… never finish, so the 2 s deadline stops them."""
    with AuditPool(1, deadline=2.0, target=misbehaving,
                   deadline_hint="the server's POLICY_AUDIT_DEADLINE_SECONDS") as pool:
        yield pool


def test_a_document_over_the_deadline_is_a_422_and_the_next_is_scored(
    make_client: Callable[..., Any], slow_pool: AuditPool, tmp_path: Path
) -> None:
    client = make_client(pool=slow_pool)
    slow = {"text": str(tmp_path / "started"), "name": "slow.txt"}
    response = client.post("/api/v1/audits", json=slow)
    assert is_problem(response, 422)
    body = response.json()
    assert body["code"] == "deadline-exceeded"
    assert "slow.txt: scoring was stopped after 2 s" in body["detail"]
    assert "POLICY_AUDIT_DEADLINE_SECONDS" in body["detail"]
    # Nothing was stored: the same document is refused again rather than found.
    assert client.post("/api/v1/audits", json=slow).json()["code"] == "deadline-exceeded"
    assert client.post("/api/v1/audits", json={"text": policy_text("D")}).status_code == 201


def test_a_batch_reports_the_document_over_the_deadline_and_scores_the_rest(
    make_client: Callable[..., Any], slow_pool: AuditPool, tmp_path: Path
) -> None:
    client = make_client(pool=slow_pool)
    documents = [
        {"text": policy_text("E1"), "name": "one.txt"},
        {"text": str(tmp_path / "started"), "name": "slow.txt"},
        {"text": policy_text("E2"), "name": "two.txt"},
    ]
    body = client.post("/api/v1/audits:batch", json={"documents": documents}).json()
    assert [r["status"] for r in body["results"]] == [201, 422, 201]
    assert body["results"][1]["problem"]["code"] == "deadline-exceeded"


def test_the_form_shows_the_deadline_message(
    make_client: Callable[..., Any], slow_pool: AuditPool, tmp_path: Path
) -> None:
    client = make_client(pool=slow_pool)
    form = {"text": str(tmp_path / "started"), "name": "slow.txt", "rubric": "core"}
    page = client.post("/audits", data=form, headers={"Accept": "text/html"})
    assert page.status_code == 422
    assert "scoring was stopped after 2 s" in page.text


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, AuditPool]]:
    """uvicorn in a thread, with one audit worker and no deadline."""
    pool = AuditPool(1, deadline=None, target=misbehaving)
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'live.db'}"), pool=pool)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", pool
    finally:
        server.should_exit = True
        thread.join(30)
        pool.close()


def test_healthz_and_pages_answer_while_a_document_is_scored_then_a_killed_worker_is_a_422(
    live: tuple[str, AuditPool], tmp_path: Path
) -> None:
    url, pool = live
    marker = tmp_path / "started"
    answers: list[httpx.Response] = []

    def upload() -> None:
        slow = {"text": str(marker), "name": "slow.txt"}
        answers.append(httpx.post(f"{url}/api/v1/audits", json=slow, timeout=120))

    thread = threading.Thread(target=upload)
    thread.start()
    wait_for(marker)  # the worker is busy with the slow document
    assert httpx.get(f"{url}/healthz", timeout=10).json() == {"status": "ok", "database": "ok"}
    assert httpx.get(f"{url}/", timeout=10).status_code == 200
    assert thread.is_alive()

    [worker] = pool.pids()
    os.kill(worker, signal.SIGKILL)
    thread.join(60)
    [answer] = answers
    assert is_problem(answer, 422)
    assert answer.json()["code"] == "audit-aborted"
    assert "signal 9" in answer.json()["detail"]
    again = httpx.post(f"{url}/api/v1/audits", json={"text": policy_text("K")}, timeout=120)
    assert again.status_code == 201
    assert worker not in pool.pids()
