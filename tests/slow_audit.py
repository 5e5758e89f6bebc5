"""Audit targets for the worker-pool tests (imported by the worker processes by name).

``misbehaving`` audits normally, except for documents named ``slow…`` (it touches the file
whose path is the document's text, so a test knows the audit has started, then sleeps) and
``hog…`` (it allocates far more than any memory cap), and ``bug…`` (it raises
RuntimeError).
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from policy_audit.errors import InputError
from policy_audit.worker import AuditJob, AuditResult, run_audit

GIB = 1024 * 1024 * 1024


def misbehaving(job: AuditJob) -> AuditResult:
    name = job.name or ""
    if name.startswith("slow"):
        assert isinstance(job.source, bytes)
        Path(job.source.decode().strip()).touch()
        time.sleep(600)
    if name.startswith("bug"):
        raise RuntimeError("boom")
    if name.startswith("unpicklable"):
        result = run_audit(job)  # a result pickle cannot send back to the parent
        return AuditResult(result.source, lambda: None)  # type: ignore[arg-type]
    if name.startswith("frozen"):  # report how much of the heap start-up froze
        raise InputError(f"frozen={gc.get_freeze_count()}")
    if name.startswith("hog"):
        hoard = [bytearray(GIB) for _ in range(64)]
        raise AssertionError(f"allocated {len(hoard)} GiB without a memory cap")
    return run_audit(job)


def paced(job: AuditJob) -> AuditResult:
    """A real audit that takes at least half a second (the order tests see who came first)."""
    time.sleep(0.5)
    return run_audit(job)


def wait_for(path: Path, timeout: float = 60.0) -> None:
    """Until ``path`` exists (the slow audit has started)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear within {timeout:g} s")
        time.sleep(0.05)


_KEPT: list[bytearray] = []


def growing(job: AuditJob) -> AuditResult:
    """A real audit that then keeps 250 MB for good (a worker's vocabulary grown by many
    documents of new words, in one step)."""
    _KEPT.append(bytearray(250 * 1024 * 1024))
    _KEPT[-1][:: 4096] = b"x" * len(_KEPT[-1][:: 4096])  # touch every page: resident
    return run_audit(job)
