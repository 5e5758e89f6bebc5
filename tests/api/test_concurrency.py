"""A real server under a burst: ``policy-audit serve`` as a subprocess on 127.0.0.1 (SQLite).

Issue 10: eight concurrent uploads to a freshly started server used to give seven 500s and
break the server for good (spaCy's shared vocabulary mutated from several threads).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import policy_text

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``policy-audit serve`` on a free port of 127.0.0.1, ready when /healthz answers."""

    def __init__(self, database: str, env: dict[str, str] | None = None) -> None:
        self.database = database
        # Rate limits off: the bursts here come from one address (127.0.0.1).
        self.env = {**os.environ, "POLICY_AUDIT_RATE_LIMIT": "off", **(env or {})}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = b""

    def start(self) -> None:
        command = [sys.executable, "-m", "policy_audit", "serve", "--port", str(self.port),
                   "--database", self.database]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=self.env
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.communicate()[1].decode(errors="replace"))
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("policy-audit serve did not answer /healthz within 90 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            _, self.log = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, self.log = self.process.communicate()
        self.process = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(f"sqlite:///{tmp_path / 'burst.db'}")
    running.start()
    yield running
    running.stop()


def upload_all(url: str, texts: list[str]) -> list[httpx.Response]:
    """Send every text at once (one thread each, released together)."""
    barrier = threading.Barrier(len(texts))
    responses: list[httpx.Response | BaseException] = [RuntimeError("not sent")] * len(texts)

    def send(index: int) -> None:
        files = {"file": (f"policy-{index}.txt", texts[index].encode(), "text/plain")}
        barrier.wait()
        try:
            responses[index] = httpx.post(f"{url}/api/v1/audits", files=files, timeout=120)
        except BaseException as error:  # reported below with the others
            responses[index] = error

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = [r for r in responses if not isinstance(r, httpx.Response)]
    assert not failures, failures
    return [r for r in responses if isinstance(r, httpx.Response)]


def test_a_cold_server_scores_a_burst_of_eight_uploads(server: Server) -> None:
    texts = [policy_text(f"B{i}") for i in range(8)]
    responses = upload_all(server.url, texts)
    assert [r.status_code for r in responses] == [201] * 8, [r.text[:300] for r in responses]
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 8
    # ... and the server still works afterwards.
    after = httpx.post(f"{server.url}/api/v1/audits", json={"text": policy_text("after")},
                       timeout=60)
    assert after.status_code == 201, after.text
    for response in responses:
        saved = httpx.get(server.url + response.json()["links"]["self"], timeout=10)
        assert saved.status_code == 200
        assert saved.json()["criteria"] == response.json()["criteria"]
