"""Audit documents in worker processes, each audit under a hard deadline and a memory cap.

The whole audit of one document (ingest → segment → detect → score) runs in a separate
process, so a hostile or pathological document cannot hang or exhaust the caller, and no
spaCy object is ever shared between threads. Limits are enforced from outside the work:

- **deadline**: the caller waits at most ``deadline`` seconds for the result, then kills
  the worker (SIGKILL) and starts a fresh one; the caller gets ``DeadlineExceededError``.
- **memory cap**: each worker runs under ``RLIMIT_AS`` (its whole address space), set
  before anything is imported, so the kernel refuses the allocation that would go over;
  the worker reports it and is replaced, the caller gets ``MemoryExceededError``.
- a worker that dies mid-audit (killed, crashed) is replaced; the caller gets
  ``AuditAbortedError``.

Each worker builds its spaCy pipeline once, when it starts (a small warm-up audit), and
then reuses it for every document it is given. ``AuditPool.run`` blocks the calling
thread only; it is safe to call from many threads at once (jobs wait for a free worker).

>>> with AuditPool(size=1, deadline=30) as pool:              # doctest: +SKIP
...     result = pool.run(AuditJob(Path("policy.pdf")))
...     result.scorecard.overall.grade
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import queue
import resource
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .defaults import DEFAULT_DEADLINE as DEFAULT_DEADLINE
from .defaults import DEFAULT_MEMORY_MB as DEFAULT_MEMORY_MB
from .errors import (
    AuditAbortedError,
    DeadlineExceededError,
    MemoryExceededError,
    PolicyAuditError,
)

if TYPE_CHECKING:
    from .ingest import Limits
    from .models import Scorecard, SourceText
    from .rubric import Rubric

MB = 1024 * 1024
STARTUP_SECONDS = 120.0  # a worker must import and warm up within this
RETIRE_AT = 0.5  # share of the memory cap past which a worker is replaced between jobs


def default_size() -> int:
    """One worker per core (2 when the count is unknown)."""
    return os.cpu_count() or 2


@dataclass(frozen=True)
class AuditJob:
    """One document to audit: its bytes or path (or text already read, to re-score it),
    and how to score it."""

    source: bytes | Path | SourceText
    name: str | None = None
    rubric: str | Rubric | None = None  # a shipped id, a rubric folder, or a loaded rubric
    jurisdiction: str | None = None
    limits: Limits | None = None
    progress: bool = False  # print OCR progress on the (shared) stderr
    force: bool = False  # score it even if it never mentions license plate readers


@dataclass(frozen=True)
class AuditResult:
    source: SourceText  # the text that was read (stored next to the scorecard)
    scorecard: Scorecard


def run_audit(job: AuditJob) -> AuditResult:
    """The work of one job (runs inside a worker process)."""
    from .ingest import read_document
    from .ingest.ocr import print_progress
    from .models import SourceText
    from .pipeline import audit_text
    from .relevance import screen

    progress = print_progress if job.progress else None
    if isinstance(job.source, SourceText):
        source = job.source
        force = True  # a saved audit re-scored: it was accepted (or forced) when first scored
    else:
        source = read_document(job.source, name=job.name, limits=job.limits, progress=progress)
        force = job.force
    warning = screen(source, force=force)
    card = audit_text(source, job.rubric, jurisdiction=job.jurisdiction)
    if warning:
        card.warnings.insert(0, warning)
    return AuditResult(source, card)


Target = Callable[[AuditJob], AuditResult]

_WARM_UP = AuditJob(
    b"Plate reads shall be purged after thirty (30) days and shall not be shared with ICE.\n",
    name="warm-up.txt",
)


def _serve(conn: Connection, memory_bytes: int | None, target: Target, warm: bool) -> None:
    """A worker process: warm up, say ready, then audit jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    from . import ingest, pipeline  # noqa: F401  (imported before the first deadline runs)

    if warm:
        run_audit(_WARM_UP)  # builds the spaCy pipeline, matchers and default rubric once
        _learn_policy_words()
        # What start-up built (the pipeline, rubrics, compiled patterns: most of the heap)
        # lives as long as the worker: out of the collector's sight, a full collection no
        # longer walks it. Measured: three full collections per 100 audits took up to 99 ms
        # each and made the slowest 1% of audits 143 ms instead of 86 ms.
        gc.collect()
        gc.freeze()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", target(job))
        except MemoryError:
            conn.send(("memory", None))
            return  # the heap may be in a bad state: let the pool start a fresh worker
        except PolicyAuditError as error:
            reply = ("error", error)
        except BaseException as error:
            reply = ("bug", (f"{type(error).__name__}: {error}", traceback.format_exc()))
        retiring = _grown_past(memory_bytes)
        # Pickled once, here, so that an unpicklable result is reported rather than lost
        # (``recv`` in the parent unpickles what ``send_bytes`` sends, as it would ``send``'s).
        try:
            payload = pickle.dumps((*reply, retiring), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            bug = (f"unpicklable result ({error})", f"{reply[1]!r:.2000}")
            payload = pickle.dumps(("bug", bug, retiring), protocol=pickle.HIGHEST_PROTOCOL)
        conn.send_bytes(payload)
        if retiring:
            return  # the pool starts a fresh worker in its place


def _learn_policy_words() -> None:
    """Teach the tokenizer the shipped rubrics' policy language, so that a fresh worker
    reads its first policies nearly as fast as one that has read many."""
    from .defaults import BUILTIN_RUBRICS
    from .rubric import load_rubric, written_language
    from .segment import learn_words

    for rubric_id in BUILTIN_RUBRICS:
        learn_words(written_language(load_rubric(rubric_id)))


def _grown_past(memory_bytes: int | None) -> bool:
    """Whether this worker now holds more than half its memory cap. spaCy's vocabulary
    keeps every string it has met, so a worker fed many documents of new words (or one
    hostile document after another) grows; retired between documents, it never fails a
    later, ordinary document at the cap."""
    if not memory_bytes:
        return False
    return _resident_bytes() > memory_bytes * RETIRE_AT


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0  # not Linux: the cap alone guards


class WorkerTraceback(Exception):
    """The traceback of a bug in a worker process, as text (the cause of the RuntimeError
    that ``AuditPool.run`` raises, so ``--debug`` and logs show where it happened)."""

    def __str__(self) -> str:
        return "\n\n" + str(self.args[0])


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(
        self, context: multiprocessing.context.BaseContext, memory_bytes: int | None,
        target: Target, warm: bool,
    ) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, memory_bytes, target, warm), name="policy-audit-worker",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.ready = False

    @property
    def pid(self) -> int | None:
        pid: int | None = self.process.pid
        return pid

    def wait_ready(self) -> None:
        if self.ready:
            return
        if wait([self.conn, self.process.sentinel], STARTUP_SECONDS) and self.conn.poll():
            with contextlib.suppress(EOFError, OSError):
                self.ready = self.conn.recv()[0] == "ready"
        if not self.ready:
            self.process.join(1)
            code = self.process.exitcode
            self.stop()
            why = f"exit code {code}" if code is not None else f"not ready in {STARTUP_SECONDS:g} s"
            raise RuntimeError(
                f"an audit worker process could not start ({why}); if a memory cap is set, "
                "it may be too small for the language pipeline"
            )

    def call(self, job: AuditJob, deadline: float | None) -> tuple[str, Any, bool]:
        """Send a job and wait for the reply, at most ``deadline`` seconds: (outcome, value,
        whether the worker retires after it)."""
        try:
            self.conn.send(job)
        except (BrokenPipeError, OSError):
            return "died", self.process.exitcode, True
        if not wait([self.conn, self.process.sentinel], deadline):
            return "deadline", None, True
        if self.conn.poll():
            with contextlib.suppress(EOFError, OSError):
                reply: tuple[Any, ...] = self.conn.recv()
                if len(reply) == 3:
                    return reply[0], reply[1], bool(reply[2])
                return reply[0], reply[1], True  # "memory": the worker has stopped
        self.process.join(5)
        return "died", self.process.exitcode, True

    def stop(self, kill: bool = True) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class AuditPool:
    """``size`` warm worker processes; ``run(job)`` audits one document in one of them.

    ``deadline`` (seconds) and ``memory_mb`` (address space of each worker) may be None for
    no limit. ``deadline_hint`` and ``memory_hint`` name the setting that raises each limit,
    for the error messages. ``warm``: each worker runs a small audit when it starts, so the
    first real one is fast (the CLI, with one document to score, skips it). ``target``
    replaces ``run_audit`` (tests: a slow audit).
    """

    def __init__(
        self,
        size: int | None = None,
        *,
        deadline: float | None = DEFAULT_DEADLINE,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
        target: Target = run_audit,
        deadline_hint: str = "the deadline",
        memory_hint: str = "the memory cap",
        warm: bool = True,
    ) -> None:
        self.size = size or default_size()
        self.deadline = deadline
        self.memory_mb = memory_mb
        self.target = target
        self.deadline_hint = deadline_hint
        self.memory_hint = memory_hint
        self.warm = warm
        # spawn: a fresh interpreter, never a fork of a threaded server.
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        # Callers take a free worker in the order they asked: a thread that just handed a
        # worker back must not take it again ahead of those already waiting (that made
        # the slowest of 8 concurrent requests wait seconds while others went through).
        self._turn = threading.Condition()
        self._tickets = 0
        self._serving = 0
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    def __enter__(self) -> AuditPool:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def start(self) -> None:
        """Start (and warm up) every worker now rather than at the first job."""
        with self._lock:
            if self._closed:
                raise RuntimeError("this audit pool is closed")
            if self._started:
                return
            self._started = True
            for _ in range(self.size):
                self._idle.put(self._spawn())

    def pids(self) -> list[int]:
        """Process ids of the current workers (for monitoring and tests)."""
        with self._lock:
            return sorted(w.pid for w in self._workers if w.pid is not None)

    def run(self, job: AuditJob) -> AuditResult:
        """Audit one document; blocks this thread until a worker is free and has finished."""
        self.start()
        worker = self._next_idle()
        if worker is None:  # closed while waiting
            self._idle.put(None)
            raise RuntimeError("this audit pool is closed")
        try:
            worker.wait_ready()
        except RuntimeError:
            self._replace(worker)
            raise
        outcome, value, retiring = worker.call(job, self.deadline)
        if outcome in ("ok", "error", "bug") and not retiring:
            self._idle.put(worker)
        else:
            self._replace(worker)
        if outcome == "ok":
            result: AuditResult = value
            return result
        if outcome == "error":
            raise value
        if outcome == "bug":
            summary, remote = value
            raise RuntimeError(f"{summary} (in the audit worker process)") from WorkerTraceback(
                remote
            )
        name = job.name or (job.source.name if isinstance(job.source, Path) else "document")
        if outcome == "deadline":
            raise DeadlineExceededError(
                f"{name}: scoring was stopped after {self.deadline:g} s, the time limit for "
                f"one document; nothing was saved. Split the document into smaller parts, "
                f"or raise {self.deadline_hint}"
            )
        if outcome == "memory":
            raise MemoryExceededError(
                f"{name}: scoring needed more than {self.memory_mb} MB of memory and was "
                f"stopped; nothing was saved. Split the document into smaller parts, or "
                f"raise {self.memory_hint}"
            )
        how = f"signal {-value}" if isinstance(value, int) and value < 0 else f"exit {value}"
        raise AuditAbortedError(
            f"{name}: the process scoring it stopped unexpectedly ({how}); nothing was "
            "saved. Try again; if it happens again, the document may be damaged or need more "
            f"memory than {self.memory_hint} allows"
        )

    def _next_idle(self) -> _Worker | None:
        """The next free worker, first come first served."""
        with self._turn:
            ticket = self._tickets
            self._tickets += 1
            while self._serving != ticket:
                self._turn.wait()
        try:
            return self._idle.get()
        finally:
            with self._turn:
                self._serving += 1
                self._turn.notify_all()

    def close(self) -> None:
        """Stop every worker (idle ones politely, busy ones by force)."""
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        idle: list[_Worker] = []
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker is not None:
                idle.append(worker)
        self._idle.put(None)  # wakes any thread still waiting for a worker
        for worker in workers:
            worker.stop(kill=worker not in idle)

    def _spawn(self) -> _Worker:
        memory = self.memory_mb * MB if self.memory_mb else None
        worker = _Worker(self._context, memory, self.target, self.warm)
        self._workers.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._workers.discard(worker)
            if self._closed:
                return
            replacement = self._spawn()
        self._idle.put(replacement)
