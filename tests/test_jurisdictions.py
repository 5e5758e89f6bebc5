"""State law as data: every encoded state loads, and its examples get their statuses."""

from __future__ import annotations

import pytest

from policy_audit.jurisdiction import (
    UnknownJurisdictionError,
    available,
    load_jurisdiction,
)
from policy_audit.models import LegalFinding
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
    card = audit_text(source_of(example.text), "comprehensive", jurisdiction=code)
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


# A portal-style list of agencies granted access, written for these tests.
PORTAL_LIST = (
    "Retention (in days)\n\n14 days\n\n"
    "Organizations granted access to Riverbend CA PD data\n\n"
    "Fairview CA PD, Lakeside County CA SO, Hill Valley GA PD, Pine Ridge TX PD, "
    "Springfield MN PD\n"
)


def _finding(text: str, code: str, requirement: str, rubric: str = "core") -> LegalFinding:
    card = audit_text(source_of(text), rubric, jurisdiction=code)
    return next(f for f in card.legal_findings if f.requirement == requirement)


def test_open_recipient_class_falls_short_of_public_agencies_only() -> None:
    finding = _finding(
        "ALPR records may be shared only with other law enforcement agencies for official "
        "purposes or as otherwise permitted by law.",
        "CA",
        "public-agencies-only",
    )
    assert finding.status == "violates"
    # what the statute requires, what the policy says, and why it falls short
    assert "only with California public agencies" in finding.message
    assert "The policy says “ALPR records may be shared only with" in finding.message
    assert "falls short because" in finding.message and "out-of-state" in finding.message
    assert finding.evidence and finding.evidence[0].rule == "sharing.le_only"


def test_out_of_state_agencies_in_a_grant_list_violate_california_law() -> None:
    finding = _finding(PORTAL_LIST, "CA", "public-agencies-only")
    assert finding.status == "violates"
    assert "Hill Valley GA PD" in finding.message and "Pine Ridge TX PD" in finding.message
    assert "Fairview CA PD" not in finding.message
    assert finding.evidence[0].rule == "sharing.grant_list"


def test_a_grant_list_of_home_state_agencies_is_not_a_violation() -> None:
    others = "Hill Valley GA PD, Pine Ridge TX PD, Springfield MN PD"
    text = PORTAL_LIST.replace(others, "Oakdale CA PD")
    assert _finding(text, "CA", "public-agencies-only").status == "not_addressed"


def test_out_of_state_agencies_in_a_grant_list_violate_virginia_law() -> None:
    text = PORTAL_LIST.replace("CA PD data", "VA PD data").replace("Fairview CA", "Fairview VA")
    finding = _finding(text, "VA", "no-outside-databases")
    assert finding.status == "violates" and "Hill Valley GA PD" in finding.message


def test_minnesota_standing_access_list_is_not_sharing_on_request() -> None:
    finding = _finding(PORTAL_LIST, "MN", "written-sharing-procedures")
    assert finding.status == "violates"
    assert "subd. 7" in finding.message
    assert finding.evidence[0].rule == "sharing.grant_list"


def test_a_stated_ban_is_not_read_as_permission_to_share() -> None:
    text = (
        "Riverbend PD only shares data with California law enforcement agencies. Giving "
        "Riverbend PD plate data to federal agencies for immigration enforcement is illegal."
    )
    card = audit_text(source_of(text), jurisdiction="CA")
    status = {f.requirement: f.status for f in card.legal_findings}
    assert status["public-agencies-only"] == "complies"
    assert status["no-immigration-enforcement"] == "complies"


def test_a_ban_on_one_federal_agency_is_not_enough_for_california() -> None:
    finding = _finding("Plate data shall not be shared with ICE.", "CA", "public-agencies-only")
    assert finding.status == "not_addressed"
    both = _finding(
        "Plate data shall not be shared with federal agencies or out-of-state agencies.",
        "CA",
        "public-agencies-only",
    )
    assert both.status == "complies"


def test_retention_stated_needs_the_non_hit_period() -> None:
    minimum = _finding(
        "Plate reads shall be stored for a minimum of 90 days.", "CA", "retention-stated"
    )
    assert minimum.status == "violates" and "a minimum is not a length of time" in minimum.message
    other = _finding(
        "Camera video footage is deleted after 30 days. Plate reads are kept according to our "
        "own retention policy.",
        "CA",
        "retention-stated",
    )
    assert other.status == "violates"


def test_state_text_cues_read_the_whole_text_when_given() -> None:
    from policy_audit.detect import detect
    from policy_audit.jurisdiction import check
    from policy_audit.rubric import load_rubric
    from policy_audit.scoring import score_document
    from policy_audit.segment import make_doc

    text = "Section 9. Log of use.\nThe log of use records the hours each reader was active.\n"
    source = source_of(text)
    rubric = load_rubric("core")
    findings = detect(make_doc(text), source, rubric)
    card = score_document(source, findings, rubric)
    state = load_jurisdiction("mn")
    without = next(f for f in check(state, card, findings) if f.requirement == "public-log")
    with_text = next(
        f for f in check(state, card, findings, text=text) if f.requirement == "public-log"
    )
    assert without.status == "not_addressed"
    assert with_text.status == "complies"
    assert with_text.evidence[0].rule == "mn.log_of_use"
    assert text[with_text.evidence[0].start : with_text.evidence[0].end] == (
        with_text.evidence[0].text
    )


def test_a_malformed_cue_is_refused() -> None:
    from pydantic import ValidationError

    from policy_audit.jurisdiction import Requirement

    with pytest.raises(ValidationError, match="malformed cue"):
        Requirement(
            id="x", statute="Test § 1", summary="A requirement for a test.",
            violated_by=["sharing.grant_list[other state]"],
        )


def test_out_of_state_agency_late_in_a_long_access_list_is_found() -> None:
    agencies = ", ".join(f"Valley Town {n} CA PD" for n in range(60))
    text = (
        "Data Sharing\n\nOrganizations granted access to Valley City CA PD data\n"
        f"{agencies}, Springfield IL PD\n\nRetention\n\nData is deleted after 30 days.\n"
    )
    card = audit_text(source_of(text), jurisdiction="CA")
    finding = next(f for f in card.legal_findings if f.requirement == "public-agencies-only")
    assert finding.status == "violates", finding.message
    assert "Springfield IL PD" in finding.message
    for evidence in finding.evidence:
        assert text[evidence.start : evidence.end] == evidence.text
