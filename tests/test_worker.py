"""The audit worker pool: deadline, memory cap, a killed worker, errors passed back."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from policy_audit.errors import (
    AuditAbortedError,
    DeadlineExceededError,
    EmptyDocumentError,
    InputError,
    MemoryExceededError,
)
from policy_audit.worker import AuditJob, AuditPool

from .slow_audit import growing, misbehaving, paced, wait_for

POLICY = (
    b"ALPR data not linked to an investigation shall be purged after thirty (30) days.\n"
    b"ALPR data shall not be shared with federal immigration authorities.\n"
)


@pytest.fixture(scope="module")
def pool() -> Iterator[AuditPool]:
    """One worker, a 3 s deadline (a real audit of POLICY takes well under 0.1 s) and a
    512 MB memory cap."""
    with AuditPool(1, deadline=3.0, memory_mb=512, target=misbehaving) as running:
        yield running


def test_an_audit_runs_in_a_worker_process(pool: AuditPool) -> None:
    result = pool.run(AuditJob(POLICY, name="p.txt"))
    assert result.scorecard.criterion("retention").level.value == "strong"
    assert result.source.text.startswith("ALPR data")
    assert os.getpid() not in pool.pids()


def test_an_engine_error_comes_back_and_the_worker_is_kept(pool: AuditPool) -> None:
    before = pool.pids()
    with pytest.raises(EmptyDocumentError, match=r"empty\.txt"):
        pool.run(AuditJob(b"   ", name="empty.txt"))
    assert pool.pids() == before
    assert pool.run(AuditJob(POLICY, name="p.txt")).scorecard.overall.score > 0


def test_a_bug_in_the_worker_is_a_runtime_error_with_its_traceback(pool: AuditPool) -> None:
    before = pool.pids()
    with pytest.raises(RuntimeError, match=r"^RuntimeError: boom \(in the audit worker") as info:
        pool.run(AuditJob(POLICY, name="bug.txt"))
    assert "slow_audit.py" in str(info.value.__cause__)
    assert pool.pids() == before


def test_a_result_that_cannot_be_sent_back_is_reported_and_the_worker_kept(
    pool: AuditPool,
) -> None:
    before = pool.pids()
    with pytest.raises(RuntimeError, match=r"^unpicklable result .* \(in the audit worker"):
        pool.run(AuditJob(POLICY, name="unpicklable.txt"))
    assert pool.pids() == before
    assert pool.run(AuditJob(POLICY, name="next.txt")).scorecard.overall.score > 0


def test_a_warm_worker_keeps_its_start_up_heap_out_of_full_collections(
    pool: AuditPool,
) -> None:
    # gc.freeze after warm-up: a full collection would otherwise walk the whole language
    # pipeline and every compiled rubric (up to 99 ms, measured), stalling an audit.
    with pytest.raises(InputError, match=r"frozen=\d+") as info:
        pool.run(AuditJob(POLICY, name="frozen.txt"))
    assert int(str(info.value).split("=")[1]) > 50_000  # 0 without the freeze


def test_over_the_deadline_the_worker_is_replaced(pool: AuditPool, tmp_path: Path) -> None:
    before = pool.pids()
    marker = tmp_path / "started"
    with pytest.raises(DeadlineExceededError, match=r"slow\.txt: scoring was stopped after 3 s"):
        pool.run(AuditJob(str(marker).encode(), name="slow.txt"))
    assert marker.exists()
    assert pool.pids() != before
    assert pool.run(AuditJob(POLICY, name="next.txt")).scorecard.overall.score > 0


def test_over_the_memory_cap_the_worker_is_replaced(pool: AuditPool) -> None:
    before = pool.pids()
    with pytest.raises(MemoryExceededError, match="more than 512 MB"):
        pool.run(AuditJob(POLICY, name="hog.txt"))
    assert pool.pids() != before
    assert pool.run(AuditJob(POLICY, name="next.txt")).scorecard.overall.score > 0


def test_a_worker_grown_past_half_its_cap_is_replaced_between_documents() -> None:
    # 250 MB kept after each audit: past half of a 600 MB cap, the worker hands back its
    # result and is replaced, so the next document is never the one that meets the cap.
    with AuditPool(1, memory_mb=600, target=growing) as grown:
        first = grown.pids()
        assert grown.run(AuditJob(POLICY, name="one.txt")).scorecard.overall.score > 0
        second = grown.pids()
        assert second != first
        assert grown.run(AuditJob(POLICY, name="two.txt")).scorecard.overall.score > 0
        assert grown.pids() != second
    with AuditPool(1, memory_mb=None, target=growing) as uncapped:  # no cap: kept
        before = uncapped.pids()
        uncapped.run(AuditJob(POLICY, name="one.txt"))
        assert uncapped.pids() == before


def test_a_worker_killed_mid_audit_is_replaced(tmp_path: Path) -> None:
    marker = tmp_path / "started"
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            pool.run(AuditJob(str(marker).encode(), name="slow.txt"))
        except BaseException as error:
            errors.append(error)

    with AuditPool(1, deadline=None, target=misbehaving) as pool:
        [victim] = pool.pids()
        thread = threading.Thread(target=slow)
        thread.start()
        wait_for(marker)
        os.kill(victim, signal.SIGKILL)
        thread.join(60)
        assert not thread.is_alive()
        [error] = errors
        assert isinstance(error, AuditAbortedError)
        assert "signal 9" in str(error)
        assert victim not in pool.pids()
        assert pool.run(AuditJob(POLICY, name="next.txt")).scorecard.overall.score > 0


def test_the_new_errors_are_read_errors() -> None:
    for error in (AuditAbortedError, DeadlineExceededError, MemoryExceededError):
        assert issubclass(error, InputError)
        assert error.exit_code == 2
        assert error.http_status == 422


def test_callers_are_served_in_the_order_they_asked() -> None:
    """A thread that hands its worker back and asks again at once goes behind the callers
    already waiting, instead of taking the worker again ahead of them."""
    finished: list[str] = []
    lock = threading.Lock()

    def audit(pool: AuditPool, *names: str) -> None:
        for name in names:
            pool.run(AuditJob(POLICY, name=name))
            with lock:
                finished.append(name)

    with AuditPool(1, deadline=60, memory_mb=None, target=paced) as pool:
        pool.run(AuditJob(POLICY, name="warm-up"))
        first = threading.Thread(target=audit, args=(pool, "a", "a-again"))
        first.start()
        threading.Event().wait(0.15)  # "a" is being scored; the others queue behind it
        others = [threading.Thread(target=audit, args=(pool, name)) for name in ("b", "c")]
        for thread in others:
            thread.start()
            threading.Event().wait(0.05)
        for thread in [first, *others]:
            thread.join(60)
    assert finished == ["a", "b", "c", "a-again"]
