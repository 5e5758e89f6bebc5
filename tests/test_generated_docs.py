"""Documentation generated from rubric data must match the data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policy_audit.jurisdiction import available
from policy_audit.rubric import load_rubric
from policy_audit.rubric_docs import END, START, readme_summary, with_summary

ROOT = Path(__file__).parent.parent


def test_readme_and_criteria_docs_are_up_to_date() -> None:
    result = subprocess.run([sys.executable, "scripts/gen_docs.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_the_summary_counts_come_from_the_data() -> None:
    summary = readme_summary()
    criteria = load_rubric("comprehensive").criteria
    assert f"{len(criteria)} criteria, the 4 core" in summary
    assert all(f"`{c.id}`" in summary for c in criteria)
    assert f"{len(available())} states (" in summary
    assert all(code.upper() in summary for code in available())


def test_a_readme_without_markers_is_an_error() -> None:
    with pytest.raises(ValueError, match="needs the markers"):
        with_summary("# A readme\n")
    stale = f"before\n{START}\nold counts\n{END}\nafter\n"
    assert with_summary(stale) == f"before\n{START}\n{readme_summary()}\n{END}\nafter\n"
