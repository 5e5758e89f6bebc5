"""State law as data: every encoded state loads, and its examples get their statuses."""

from __future__ import annotations

import pytest

from policy_audit.jurisdiction import (
    UnknownJurisdictionError,
    available,
    load_jurisdiction,
)
from policy_audit.pipeline import audit_text
from tests.conftest import source_of

STATES = available()
EXAMPLES = [
    pytest.param(code, index, id=f"{code}-{ex.requirement}-{ex.status}")
    for code in STATES
    for index, ex in enumerate(load_jurisdiction(code).examples)
]


def test_the_states_the_issue_names_are_encoded() -> None:
    assert {"ca", "va", "mn"} <= set(STATES)


@pytest.mark.parametrize("code", STATES)
def test_each_state_has_a_passing_and_a_failing_example(code: str) -> None:
    statuses = {ex.status for ex in load_jurisdiction(code).examples}
    assert {"violates", "complies"} <= statuses


@pytest.mark.parametrize(("code", "index"), EXAMPLES)
def test_example_gets_its_status(code: str, index: int) -> None:
    example = load_jurisdiction(code).examples[index]
    card = audit_text(source_of(example.text), "core", jurisdiction=code)
    finding = next(f for f in card.legal_findings if f.requirement == example.requirement)
    assert finding.status == example.status, f"{finding.message}\n  text: {example.text!r}"
    assert finding.statute in finding.message
    if finding.status == "violates":
        assert finding.message.startswith("violates ")


def test_retention_finding_names_the_days_and_the_cap() -> None:
    card = audit_text(
        source_of("Non-hit ALPR data shall be purged 30 days after collection."),
        jurisdiction="VA",
    )
    finding = next(f for f in card.legal_findings if f.requirement == "retention-21-days")
    assert finding.message == (
        "violates Va. Code § 2.2-5517: non-hit data kept 30 days, the cap is 21."
    )
    assert finding.evidence and "30 days" in finding.evidence[0].text
    assert card.jurisdiction == "VA"


def test_unverified_requirements_say_so() -> None:
    card = audit_text(source_of("Data may be sold to private companies."), jurisdiction="va")
    finding = next(f for f in card.legal_findings if f.requirement == "no-outside-databases")
    assert not finding.verified and "not verified" in finding.message


def test_unknown_jurisdiction_lists_the_known_ones() -> None:
    with pytest.raises(UnknownJurisdictionError, match=r"ZZ: .*available: .*CA.*VA"):
        audit_text(source_of("Data is purged after 30 days."), jurisdiction="ZZ")


def test_no_jurisdiction_means_no_legal_findings() -> None:
    card = audit_text(source_of("Data is purged after 30 days."))
    assert card.jurisdiction is None and card.legal_findings == []
