"""Fuzz the running JSON API against its own OpenAPI document with schemathesis.

Starts ``policy-audit serve`` on 127.0.0.1 (a fresh SQLite file unless ``--database``),
runs every schemathesis check (server errors, undocumented status codes, response
schemas, content types and headers, ``Allow`` on 405, schema-valid requests accepted and
invalid ones refused, use after delete, response time) through all phases (examples,
coverage, fuzzing, stateful), stops the server, and prints what it found. The exit status
is schemathesis's: 0 when it found nothing.

    python scripts/fuzz_api.py                        # the long run (README: API fuzzing)
    python scripts/fuzz_api.py --max-examples 25 --seed 1   # the short run the tests make

Settings the checks need are in ``schemathesis.toml`` at the repository root.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "schemathesis.toml"
SCHEMATHESIS = "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(database: str, log: Path) -> Iterator[str]:
    """``policy-audit serve`` on a free loopback port, until the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # One audit worker: the machine this runs on is small, and the fuzzer sends one
    # request at a time.
    # Rate limits off: the fuzzer is one client sending thousands of requests, and a 429
    # would hide what the service answers.
    env = {**os.environ, "POLICY_AUDIT_WORKERS": os.environ.get("POLICY_AUDIT_WORKERS", "1"),
           "POLICY_AUDIT_RATE_LIMIT": "off"}
    command = [sys.executable, "-m", "policy_audit", "serve", "--port", str(port),
               "--database", database]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                   cwd=ROOT, env=env)
        try:
            _wait_for(url, process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer /healthz within 90 s")


def fuzz(url: str, max_examples: int, seed: int, workdir: Path) -> tuple[int, str]:
    """Run schemathesis; returns its exit status and its output."""
    command = [
        sys.executable, "-c", SCHEMATHESIS,
        "--config-file", str(CONFIG),
        "run", f"{url}/openapi.json",
        "--checks", "all",
        "--max-examples", str(max_examples),
        "--seed", str(seed),
        # One worker: with several, Python 3.11's AST parser (used by Hypothesis to
        # describe strategies) is not thread-safe and fails with "AST constructor
        # recursion depth mismatch", an error in the tool, not in the service.
        "--workers", "1",
        "--no-color",
    ]
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True,
                            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"})
    return result.returncode, result.stdout + result.stderr


def summary(output: str) -> str:
    """The figures of the run: test cases, failures, time."""
    cases = re.search(r"(\d+) generated(?:, (\d+) found (\d+) unique failures?)?", output)
    final = re.findall(r"=+ (.+?) in ([\d.]+)s =+", output)
    generated = cases.group(1) if cases else "?"
    found = cases.group(3) if cases and cases.group(3) else "0"
    verdict, seconds = final[-1] if final else ("?", "?")
    return f"{generated} test cases, {found} unique failures ({verdict}) in {seconds} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=500,
                        help="test cases per operation and phase (default 500)")
    parser.add_argument("--seed", type=int, default=None, help="default: a random seed")
    parser.add_argument("--database", default=None,
                        help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--quiet", action="store_true", help="print the output only on failure")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    with tempfile.TemporaryDirectory(prefix="policy-audit-fuzz-") as tmp:
        workdir = Path(tmp)
        database = args.database or f"sqlite:///{workdir / 'fuzz.db'}"
        started = time.monotonic()
        with running_server(database, workdir / "server.log") as url:
            status, output = fuzz(url, args.max_examples, seed, workdir)
            log = (workdir / "server.log").read_text(errors="replace")
        elapsed = time.monotonic() - started
    if status != 0 or not args.quiet:
        print(output)
    if status != 0 and "Traceback" in log:
        print("server log (tracebacks):\n" + log[-20000:])
    print(f"schemathesis {_version()}, --max-examples {args.max_examples}, seed {seed}: "
          f"{summary(output)}; {elapsed:.0f} s with the server's start")
    return status


def _version() -> str:
    from importlib.metadata import version

    return version("schemathesis")


if __name__ == "__main__":
    sys.exit(main())
