"""Every verdict and every quote carries its reason as data: which detector read the clause,
which rules fired, how firmly it speaks, which exceptions qualify it and how broad they are."""

from __future__ import annotations

from pathlib import Path

from policy_audit.models import Level
from policy_audit.pipeline import audit_text
from tests.conftest import source_of

SAMPLES = Path(__file__).parent.parent / "sample_policies"


def test_a_retention_quote_says_how_it_was_read() -> None:
    card = audit_text(source_of(
        "ALPR data not tied to a hit shall be purged 30 days after collection."), "core")
    result = card.criterion("retention")
    assert result.decision is not None
    assert (result.decision.scorer, result.decision.rule) == ("retention", "retention.limit-strong")
    reading = result.evidence[0].reading
    assert reading is not None
    assert reading.detector == "retention" and reading.modality == "mandatory"
    assert "retention.limit" in reading.cues and reading.days == [30]


def test_exceptions_are_classified_by_breadth() -> None:
    broad = audit_text(source_of("ALPR data shall not be shared with ICE or used for "
                                 "immigration enforcement, except as required by law."), "core")
    exceptions = [e for ev in broad.criterion("immigration").evidence if ev.reading
                  for e in ev.reading.exceptions]
    assert exceptions and exceptions[0].kind == "law" and exceptions[0].breadth == "broad"
    narrow = audit_text(source_of("ALPR data shall not be shared with ICE or used for "
                                  "immigration enforcement unless a judge issues a warrant."),
                        "core")
    exceptions = [e for ev in narrow.criterion("immigration").evidence if ev.reading
                  for e in ev.reading.exceptions]
    assert exceptions and {e.breadth for e in exceptions} == {"narrow"}
    assert exceptions[0].kind == "judicial"


def test_an_element_criterion_lists_each_element_and_its_status() -> None:
    card = audit_text(source_of("Supervisors shall audit ALPR searches every quarter. The "
                                "department should hire an independent auditor."))
    decision = card.criterion("audits").decision
    assert decision is not None and decision.scorer == "elements"
    status = {element.id: element.status for element in decision.elements}
    assert status["schedule"] == "firm"
    assert status["independent"] == "soft"
    assert status["follow_up"] == "absent"


def test_a_loophole_that_decides_is_named_in_the_decision() -> None:
    card = audit_text(source_of(
        "ALPR data may be searched by any officer for any purpose. Searches should be logged."))
    decided = [r for r in card.criteria if r.decision and r.decision.loopholes]
    assert decided, "a criterion decided by a loophole names it"
    named = {lh.id for lh in card.loopholes}
    assert all(set(r.decision.loopholes) <= named for r in decided if r.decision)


def test_every_quote_on_every_sample_carries_its_reading() -> None:
    for path in (SAMPLES / "riverton-pd-policy-462.txt", SAMPLES / "harbor-city-mixed.txt",
                 SAMPLES / "lakeside-memo.md"):
        card = audit_text(source_of(path.read_text(encoding="utf-8"), path.name),
                          jurisdiction="CA")
        quotes = [e for r in card.criteria for e in r.evidence]
        quotes += [e for lh in card.loopholes for e in lh.evidence]
        quotes += [e for f in card.legal_findings for e in f.evidence]
        assert quotes and all(q.reading is not None and q.reading.cues for q in quotes), path
        assert all(r.decision is not None for r in card.criteria)
        assert all(r.decision.rule == r.rule for r in card.criteria if r.decision)
        missing = [r for r in card.criteria if r.level is Level.MISSING]
        assert all(not r.evidence for r in missing)


def test_how_this_was_scored_shows_the_trace_in_the_report() -> None:
    from policy_audit.report import render

    card = audit_text(source_of("Supervisors shall audit ALPR searches every quarter. The "
                                "department should hire an independent auditor."))
    html = render(card, "html")
    scored = html[html.index("How this was scored"):]
    assert "an independent audit: soft" in scored
    assert "audits at a fixed interval: firm" in scored
    assert "First quote read by audits" in scored
