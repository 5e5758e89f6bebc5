"""The running service against its own OpenAPI document: schemathesis, every check.

A short run (fixed seed, a few cases per operation) of ``scripts/fuzz_api.py`` against a
live ``policy-audit serve`` on loopback, on SQLite and, with TEST_DATABASE_URL, on
PostgreSQL. It fails on any 5xx, status code the OpenAPI does not list, response that does
not match its schema, content type or headers, 405 without the full ``Allow``, schema-valid
request refused or invalid one accepted (see schemathesis.toml), and answers over 60 s.
The long run is ``python scripts/fuzz_api.py`` (README: API fuzzing).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "fuzz_api.py"


def test_schemathesis_finds_nothing(database_url: str) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--max-examples", "15", "--seed", "1", "--quiet",
         "--database", database_url],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-30000:]
    assert " 0 unique failures" in output.splitlines()[-1], output[-5000:]
