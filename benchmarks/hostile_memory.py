"""Time and peak memory of each hostile input, each in a fresh child process.

    python benchmarks/hostile_memory.py [NAME ...]    # default: every input in HOSTILE

For each input of ``tests/hostile_inputs.py`` a child process builds it, imports the
engine, then reads and scores it in-process (no worker, no deadline: only the engine's
own limits can end it). It prints the CPU and wall time of that audit, the child's peak
resident memory (``resource.getrusage``: ``ru_maxrss``), how much of it the audit added
over what the child held before it began, and the outcome. The README's limits table
quotes these figures. CPU time is given because other work may share the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

CHILD = """
import json, resource, sys, time
from policy_audit import audit
from policy_audit.errors import PolicyAuditError
import policy_audit.pipeline, docx, pypdfium2  # loaded before the measurement starts
from tests.hostile_inputs import HOSTILE
name, data = HOSTILE[sys.argv[1]]()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, cpu = time.perf_counter(), time.process_time()
try:
    card = audit(data, name=name, rubric="comprehensive")
    outcome = f"scorecard, grade {card.overall.grade}"
except PolicyAuditError as exc:
    outcome = f"{type(exc).__name__}: {exc}"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "peak_mb": peak / 1024, "added_mb": (peak - before) / 1024,
                  "size_kb": len(data) / 1024, "outcome": outcome}))
"""


def measure(key: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHILD, key], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        return {"outcome": f"child failed: {done.stderr.strip()[-200:]}"}
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    from tests.hostile_inputs import HOSTILE

    keys = (argv if argv is not None else sys.argv[1:]) or list(HOSTILE)
    print(f"{'input':<42} {'file KB':>8} {'CPU s':>6} {'wall s':>6} {'peak MB':>8} "
          f"{'added MB':>8}  outcome")
    for key in keys:
        r = measure(key)
        if "cpu" not in r:
            print(f"{key:<42} {r['outcome']}")
            continue
        print(f"{key:<42} {r['size_kb']:>8.0f} {r['cpu']:>6.2f} {r['wall']:>6.2f} "
              f"{r['peak_mb']:>8.0f} {r['added_mb']:>8.0f}  {str(r['outcome'])[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
