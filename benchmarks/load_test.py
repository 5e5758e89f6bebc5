"""Load test of ``policy-audit serve`` on 127.0.0.1 with wrk (Debian: ``apt-get install wrk``).

    python benchmarks/load_test.py                  # 1, 8 and 32 clients, 5 s each
    python benchmarks/load_test.py --seconds 10 --clients 1,8
    python benchmarks/load_test.py --kinds long --clients 8   # the 3,000-word target

Starts the server on a free port with a fresh SQLite file, then for text and PDF uploads
(``POST /api/v1/audits``, multipart) runs wrk at each client count for a bounded time.
Every request is a different document (a counter is appended), so every one is scored,
never answered from storage. Prints requests/s, p50/p99 latency and the answers that were
not 201 (there should be none). Then a durability check: clients upload while the server
is killed with SIGKILL; after a restart, every audit that was answered 201 must be found.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
from benchmarks.policy_texts import real_policy

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_policies"
BOUNDARY = "policyauditloadtest"

LUA = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  local function slurp(path)
    local f = assert(io.open(path, "rb")); local data = f:read("*a"); f:close(); return data
  end
  suffix, ctype, variants = slurp(args[2]), args[3], tonumber(args[4])
  prefixes = {}
  for i = 0, variants - 1 do prefixes[i + 1] = slurp(args[1] .. "." .. i) end
  counter, created, other = 0, 0, 0
end
function request()
  counter = counter + 1
  local prefix = prefixes[(counter + id) % variants + 1]
  local body = prefix .. id .. "-" .. counter .. suffix
  return wrk.format("POST", "/api/v1/audits", {["Content-Type"] = ctype}, body)
end
function response(status, headers, body)
  if status == 201 then created = created + 1 else
    other = other + 1
    if other <= 3 then io.stderr:write("NOT201 " .. status .. " " .. body:sub(1, 300) .. "\n") end
  end
end
function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do c = c + t:get("created"); o = o + t:get("other") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50_ms": %.1f, "p99_ms": %.1f, "created": %d, '
    .. '"not_201": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, c, o, e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, database: str, port: int) -> None:
        self.database, self.port = database, port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "policy_audit", "serve", "--port", str(self.port),
                   "--database", self.database]
        # Own process group, so that a SIGKILL reaches the audit workers too.
        # Rate limits off: every wrk connection comes from 127.0.0.1, one client to the
        # limiter, and the point is the service's own throughput.
        env = {**os.environ, "POLICY_AUDIT_RATE_LIMIT": "off"}
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True,
                                        env=env)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    time.sleep(3)  # let the audit workers finish warming up
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


LONG_VARIANTS = 200  # different 3,000-word documents, taken in turn


def bodies(kind: str, folder: Path, tag: str) -> tuple[Path, int, Path, str]:
    """The multipart bodies around the unique part (``tag``, then wrk's thread and request
    numbers): (prefix files' stem, how many, suffix file, content type). ``long`` uploads
    different documents of real policy text (the corpus policies shuffled), so that the
    workers meet words they have not seen, as a service scoring many agencies' policies."""
    if kind == "long":  # ~3,000 words of real policy text (the throughput target's size)
        texts = [real_policy(3_000, variant=n)[0].encode() + b"\nReference "
                 for n in range(1, LONG_VARIANTS + 1)]
        filename, media = "policy.txt", "text/plain"
    elif kind == "pdf":
        texts = [(SAMPLES / "millbrook-so-policy.pdf").read_bytes() + b"\n%"]  # a PDF comment
        filename, media = "policy.pdf", "application/pdf"
    else:
        texts = [(SAMPLES / "riverton-pd-policy-462.txt").read_bytes() + b"\nReference "]
        filename, media = "policy.txt", "text/plain"
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{filename}\"\r\nContent-Type: {media}\r\n\r\n").encode()
    stem, suffix = folder / f"{kind}.prefix", folder / f"{kind}.suffix"
    for index, data in enumerate(texts):
        Path(f"{stem}.{index}").write_bytes(head + data + tag.encode())
    # ``force``: a shuffle may leave out every mention of plate readers, and a document
    # refused as not a policy would count as an error here.
    force = (f"\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"force\"\r\n\r\ntrue"
             if kind == "long" else "")
    suffix.write_bytes(f"\n{force}\r\n--{BOUNDARY}--\r\n".encode())
    return stem, len(texts), suffix, f"multipart/form-data; boundary={BOUNDARY}"


def run_wrk(url: str, clients: int, seconds: int, kind: str, folder: Path) -> dict[str, float]:
    stem, variants, suffix, ctype = bodies(kind, folder, f"{kind}{clients}-")
    script = folder / "upload.lua"
    script.write_text(LUA)
    command = ["wrk", f"-t{min(clients, 4)}", f"-c{clients}", f"-d{seconds}s", "--timeout",
               "120s", "-s", str(script), url, "--", str(stem), str(suffix), ctype, str(variants)]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    out = run.stdout
    for line in run.stderr.splitlines():
        if line.startswith("NOT201 "):
            print(f"  {kind}, {clients} clients: {line[7:]}", file=sys.stderr)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def durability(server: Server, seconds: float) -> tuple[int, int]:
    """Upload from 8 clients, SIGKILL the server after ``seconds``, restart, look for every
    audit answered 201. Returns (answered 201, found again)."""
    created: list[str] = []
    stop = threading.Event()
    text = (SAMPLES / "riverton-pd-policy-462.txt").read_text()

    def client(number: int) -> None:
        count = 0
        with httpx.Client(timeout=60) as http:
            while not stop.is_set():
                count += 1
                body = {"text": f"{text}\nReference K{number}-{count}", "name": "k.txt"}
                try:
                    answer = http.post(f"{server.url}/api/v1/audits", json=body)
                except httpx.HTTPError:
                    return  # the server is gone
                if answer.status_code == 201:
                    created.append(answer.json()["id"])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(60)
    server.start()
    found = sum(httpx.get(f"{server.url}/api/v1/audits/{i}", timeout=10).status_code == 200
                for i in created)
    return len(created), found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="per run (default: 5)")
    parser.add_argument("--clients", default="1,8,32", help="client counts (default: 1,8,32)")
    parser.add_argument("--kinds", default="text,pdf",
                        help="uploads: text (a 9 KB sample), pdf (a 3-page sample), long "
                             "(3,000 words of real policy text); default: text,pdf")
    parser.add_argument("--no-kill", action="store_true", help="skip the SIGKILL check")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("load_test: needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = Server(f"sqlite:///{folder / 'load.db'}", free_port())
        server.start()
        try:
            print(f"{os.cpu_count()} cores; audit workers: "
                  f"{os.environ.get('POLICY_AUDIT_WORKERS', 'one per core')}\n")
            print("| upload | clients | requests | req/s | p50 ms | p99 ms | not 201 | errors |")
            print("|---|---|---|---|---|---|---|---|")
            failures = 0
            for kind in args.kinds.split(","):
                for clients in (int(c) for c in args.clients.split(",")):
                    r = run_wrk(server.url, clients, args.seconds, kind, folder)
                    failures += int(r["not_201"] + r["socket_errors"])
                    print(f"| {kind} | {clients} | {r['requests']:.0f} | {r['rps']:.1f} | "
                          f"{r['p50_ms']:.0f} | {r['p99_ms']:.0f} | {r['not_201']:.0f} | "
                          f"{r['socket_errors']:.0f} |", flush=True)
            if not args.no_kill:
                answered, found = durability(server, seconds=3)
                print(f"\nSIGKILL mid-run: {answered} audits answered 201 before the kill; "
                      f"{found} found after the restart.")
                failures += answered - found
        finally:
            server.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
