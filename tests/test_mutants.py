"""A short run of the mutation corpus (scripts/make_mutants.py): damaged copies of the
sample documents are read or refused with the project's read error, never crash or hang.

The long run is a documented command (README, "Damaged files"); this one takes seconds.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "make_mutants.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_mutants", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_mutants_are_read_or_refused() -> None:
    script = _load_script()
    failures: list[str] = []
    outcomes: dict[str, int] = {}
    for number, mutant in enumerate(script.mutants(300, seed=1)):
        started = time.monotonic()
        kind, detail = script.classify(mutant)
        elapsed = time.monotonic() - started
        outcomes[kind] = outcomes.get(kind, 0) + 1
        if kind == "crash" or elapsed > 10:
            failures.append(f"{number} {mutant.name} [{mutant.how}]: {kind} {detail} "
                            f"({elapsed:.1f} s)")
    assert not failures, "\n".join(failures)
    assert outcomes.get("read", 0) > 0 and outcomes.get("refused", 0) > 0


def test_mutants_are_deterministic() -> None:
    script = _load_script()
    first = [(m.name, m.how, m.data) for m in script.mutants(40, seed=3)]
    again = [(m.name, m.how, m.data) for m in script.mutants(40, seed=3)]
    assert first == again
