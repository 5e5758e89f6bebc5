"""Instructions per audit, counted by valgrind's callgrind: a figure the neighbours cannot move.

    python benchmarks/instructions.py [--docs 6]      (needs valgrind: apt-get install valgrind)

The development machine's speed drifts by a third from hour to hour, more than most single
changes gain, so timings alone cannot tell a 3% improvement from noise. The number of
instructions an audit executes can: it is the same on every run. This script runs
``--docs`` different 3,000-word policies (the corpus policies shuffled, as the batch
benchmark does) through ``run_audit`` under callgrind, after warming up and freezing the
start-up heap as a worker does, and prints the instructions per audit and the C functions
that executed most of them. Counting covers only the audits: callgrind's counters are
zeroed on entering ``getloadavg`` and dumped on entering ``getpriority``, two C functions
the audit never calls, which the child calls around its loop.

Under callgrind Python runs about 50 times slower: six documents take about two minutes.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

_TOTAL = re.compile(r"^\s*([\d,]+) \(100\.0+%\)\s+PROGRAM TOTALS", re.MULTILINE)
_FUNCTION = re.compile(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S+)", re.MULTILINE)


def audits(count: int) -> None:
    """The counted work (run in the child, under callgrind)."""
    from benchmarks.policy_texts import real_policy
    from policy_audit.worker import _WARM_UP, AuditJob, _learn_policy_words, run_audit

    run_audit(_WARM_UP)
    _learn_policy_words()
    jobs = [AuditJob(real_policy(3_000, variant=n)[0].encode(), name="b.txt",
                     rubric="comprehensive", force=True) for n in range(1, count + 1)]
    for n in range(1_000, 1_002):  # read policies before, as a worker in service has
        run_audit(AuditJob(real_policy(3_000, variant=n)[0].encode(), name="w.txt",
                           rubric="comprehensive", force=True))
    gc.collect()
    gc.freeze()
    os.getloadavg()  # callgrind --zero-before=getloadavg
    for job in jobs:
        run_audit(job)
    os.getpriority(os.PRIO_PROCESS, 0)  # callgrind --dump-before=getpriority


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=6, help="audits counted")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        audits(args.docs)
        return 0
    valgrind, annotate = shutil.which("valgrind"), shutil.which("callgrind_annotate")
    if valgrind is None or annotate is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [valgrind, "--tool=callgrind", "--zero-before=getloadavg",
             "--dump-before=getpriority", f"--callgrind-out-file={out}", sys.executable,
             __file__, "--child", "--docs", str(args.docs)],
            check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        dumps = sorted(Path(folder).glob("callgrind.out.*"))
        if not dumps:
            print("callgrind wrote no dump of the audits", file=sys.stderr)
            return 1
        report = subprocess.run([annotate, "--threshold=100", str(dumps[0])], check=True,
                                capture_output=True, text=True).stdout
    total = _TOTAL.search(report)
    if total is None:
        print("could not read callgrind's totals", file=sys.stderr)
        return 1
    instructions = int(total.group(1).replace(",", ""))
    print(f"{instructions / args.docs / 1e6:.0f} million instructions per audit "
          f"({args.docs} different 3,000-word policies, comprehensive rubric)\n")
    print("most executed C functions (share of all instructions):")
    shown = 0
    for _count, share, name in _FUNCTION.findall(report):
        if float(share) >= 90 or shown >= 12:  # the call chain down from main() is not news
            continue
        print(f"  {share:>5}%  {name.split('/')[-1]}")
        shown += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
