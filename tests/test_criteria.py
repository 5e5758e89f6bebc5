"""Every annotated case must earn exactly its level: detection plus the criterion's scorer."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from policy_audit.registry import scorers
from policy_audit.rubric import load_rubric
from tests.conftest import findings_of

CASES = tomllib.loads((Path(__file__).parent / "cases" / "criteria.toml").read_text())["case"]


def _id(case: dict) -> str:
    return f"{case['criterion']}-{case['level']}-{case['text'][:40]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case_earns_its_level(case: dict) -> None:
    criterion = load_rubric("core").criterion(case["criterion"])
    verdict = scorers()[case["criterion"]](findings_of(case["text"]), criterion)
    assert verdict.level.value == case["level"], verdict.reason
    if case["level"] != "missing":
        assert verdict.evidence, "a level other than missing must quote its evidence"
        for finding in verdict.evidence:
            assert finding.text.strip() and finding.text.split()[0] in case["text"]
    if "retention_days" in case:
        want = None if case["retention_days"] == "none" else case["retention_days"]
        assert verdict.facts.get("retention_days") == want


def test_every_level_of_every_core_criterion_has_a_case() -> None:
    covered = {(c["criterion"], c["level"]) for c in CASES}
    core = ("retention", "sharing", "immigration", "reporting")
    missing = {(cid, lvl) for cid in core for lvl in ("strong", "partial", "weak", "missing")}
    assert missing - covered == set()
