"""How long do ``policy-audit --version`` and ``--help`` take, next to a bare Python start?

    python benchmarks/cli_startup.py [--runs 15]

Each command runs in a fresh interpreter (``python -m policy_audit …``), as a user types it.
Both the median and the best wall time are printed; the target is judged on the best of
the runs against the best bare start, because on a shared machine other work inflates
single runs by tens of milliseconds either way. The target is 8x a bare ``python -c pass``,
which holds only while argument parsing imports nothing heavy: the script also lists any
of spaCy, pydantic, FastAPI, the pipeline or the API that a command imported (there should
be none). ``bench_audit.py`` prints this table after its own.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 8.0
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--version",),
    ("--help",),
    ("score", "--help"),
    ("rubric", "--help"),
    ("serve", "--help"),
    ("schema", "--help"),
    ("jurisdictions", "--help"),
)
HEAVY = ("spacy", "pydantic", "fastapi", "sqlalchemy", "jinja2", "api",
         "policy_audit.pipeline", "policy_audit.models")
_PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['policy-audit', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('policy_audit', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    f"print('\\nHEAVY', [m for m in {HEAVY!r} if m in sys.modules])\n"
)


def timings_ms(command: list[str], runs: int) -> tuple[float, float]:
    """(median, best) wall time in milliseconds of ``runs`` fresh processes."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append((time.perf_counter() - start) * 1000)
    times = times[1:]  # the first run warms the file cache
    return statistics.median(times), min(times)


def heavy_imports(args: tuple[str, ...]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, capture_output=True,
                         text=True, check=False).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("HEAVY ")), "HEAVY []")
    return eval(line.removeprefix("HEAVY "), {})  # a list literal printed by the probe


def report(runs: int = 15) -> bool:
    """Print the table; True when every command is within the target."""
    bare_median, bare = timings_ms([sys.executable, "-c", "pass"], runs)
    print(f"CLI start-up, {runs} fresh processes each: bare `python -c pass` median "
          f"{bare_median:.0f} ms, best {bare:.0f} ms")
    print(f"  {'command':<35} {'median':>7} {'best':>7} {'best/bare':>9}")
    ok = True
    for args in COMMANDS:
        median, best = timings_ms([sys.executable, "-m", "policy_audit", *args], runs)
        ratio = best / bare if bare else float("inf")
        heavy = heavy_imports(args)
        within = ratio <= TARGET_RATIO and not heavy
        ok &= within
        print(f"  {'policy-audit ' + ' '.join(args):<35} {median:4.0f} ms {best:4.0f} ms "
              f"{ratio:8.1f}x" + ("" if within else "  !")
              + (f"  imports {', '.join(heavy)}" if heavy else ""))
    print(f"target: each <= {TARGET_RATIO:.0f}x a bare Python start, importing none of "
          f"{', '.join(HEAVY)}; " + ("all within target" if ok else "NOT within target"))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    return 0 if report(args.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
