"""Throughput of a large-batch job: ``policy-audit serve`` takes it, ``policy-audit worker``
processes score it.

    python benchmarks/job_throughput.py                          # 200 documents, SQLite
    python benchmarks/job_throughput.py --documents 500 --concurrency 2
    python benchmarks/job_throughput.py --database postgresql://u:p@127.0.0.1/db \\
        --worker-processes 2 --concurrency 1       # two "machines" sharing one PostgreSQL

Starts the server (one audit process: the web side only takes the upload) and the workers
on a fresh database (a temporary SQLite file, or the PostgreSQL database you name: its
tables are used as they are, so give it a throwaway one), warms the workers up with a
one-document job, then submits N distinct documents as one zip (the bundled samples in
text, Markdown, HTML and PDF, each copy made unique) and polls ``GET /api/v1/jobs/{id}``
until it is done. Prints the time to accept the upload, the time to score everything,
documents per second, failures, and how fast ``/healthz`` answered meanwhile.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_policies"
TEXT_SAMPLES = ["riverton-pd-policy-462.txt", "harbor-city-mixed.txt", "lakeside-memo.md",
                "vendor-transparency.html"]


def documents(count: int) -> bytes:
    """A zip of ``count`` distinct documents, never seen before: a copy number and this
    run's random tag make each one unique, so every one is scored, none found saved."""
    run = secrets.token_hex(4)
    sources = [(name, (SAMPLES / name).read_bytes()) for name in TEXT_SAMPLES]
    sources.append(("millbrook-so-policy.pdf", (SAMPLES / "millbrook-so-policy.pdf").read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(count):
            name, data = sources[index % len(sources)]
            stem, _, suffix = name.rpartition(".")
            if suffix == "pdf":
                unique = data + f"\n% copy {index} {run}\n".encode()  # a PDF comment after %%EOF
            elif suffix == "html":
                unique = data + f"\n<!-- copy {index} {run} -->\n".encode()
            else:
                unique = data + f"\n\nCopy {index}, {run}.\n".encode()
            archive.writestr(f"{stem}-{index}.{suffix}", unique)
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_done(client: httpx.Client, job_url: str, timeout: float) -> tuple[dict, list[float]]:
    """Poll the job until it is done; also time /healthz while it runs."""
    health: list[float] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.perf_counter()
        client.get("/healthz").raise_for_status()
        health.append((time.perf_counter() - started) * 1000)
        job = client.get(job_url).json()
        if job["status"] == "done":
            return job, health
        time.sleep(0.5)
    raise SystemExit(f"the job was not done within {timeout:g} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--database", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--worker-processes", type=int, default=1,
                        help="worker processes (more than one needs PostgreSQL)")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2,
                        help="documents each worker scores at once (default: the cores)")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        database = args.database or f"sqlite:///{scratch}/jobs.db"
        env = {**os.environ, "POLICY_AUDIT_WORKERS": "1"}
        port = free_port()
        processes = [subprocess.Popen(
            [sys.executable, "-m", "policy_audit", "serve", "--port", str(port),
             "--database", database],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )]
        try:
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600)
            for _ in range(300):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            for _ in range(args.worker_processes):
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "policy_audit", "worker", "--database", database,
                     "--concurrency", str(args.concurrency)],
                    cwd=ROOT, env=os.environ, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                ))
            warm = client.post("/api/v1/jobs", json={"documents": [{"text": "warm-up: plate "
                               "reads are kept 30 days.", "name": "warm-up.txt"}]})
            warm.raise_for_status()
            wait_done(client, warm.headers["location"], 300)

            archive = documents(args.documents)
            started = time.perf_counter()
            accepted = client.post("/api/v1/jobs", content=archive,
                                   headers={"Content-Type": "application/zip"})
            accepted.raise_for_status()
            accept_seconds = time.perf_counter() - started
            job, health = wait_done(client, accepted.headers["location"], args.timeout)
            total_seconds = time.perf_counter() - started
        finally:
            for process in reversed(processes):
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()

    counts = job["counts"]
    backend = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    print(f"{args.documents} documents ({len(archive) / 1e6:.1f} MB zip), {backend}, "
          f"{args.worker_processes} worker process(es) × {args.concurrency} at once")
    print(f"  accepted (202) in     {accept_seconds:.2f} s")
    print(f"  all scored in         {total_seconds:.1f} s  "
          f"({args.documents / total_seconds:.1f} documents/s)")
    print(f"  done / failed         {counts['done']} / {counts['failed']} "
          f"(new audits: {counts['created']})")
    print(f"  /healthz meanwhile    p50 {statistics.median(health):.0f} ms, "
          f"max {max(health):.0f} ms over {len(health)} probes")


if __name__ == "__main__":
    main()
