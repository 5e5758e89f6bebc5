"""A scorecard never contradicts itself or misquotes the document (``policy_audit.consistency``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_audit import audit
from policy_audit.consistency import problems
from policy_audit.ingest import read_document
from policy_audit.pipeline import audit_text
from policy_audit.rubric import load_rubric
from tests.conftest import source_of

SAMPLES = Path(__file__).resolve().parent.parent / "sample_policies"
SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.suffix in {".txt", ".md", ".html",
                                                                      ".pdf", ".docx"})


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_every_sample_scorecard_is_consistent(path: Path) -> None:
    source = read_document(path)
    card = audit_text(source, None, jurisdiction="CA")
    assert problems(card, source.text, load_rubric(None)) == []


def test_a_misquote_is_caught() -> None:
    text = "ALPR data shall be purged after 30 days."
    card = audit_text(source_of(text), "core")
    card.criterion("retention").evidence[0].text = "ALPR data may be purged after 30 days."
    assert any("not verbatim" in p for p in problems(card, text))


def test_a_loophole_named_but_not_listed_is_caught() -> None:
    text = "Every query shall be logged with the user's name. Query logs are purged after 30 days."
    source = source_of(text)
    card = audit_text(source, None)
    trail = card.criterion("audit_trail")
    assert "contains a loophole" in trail.explanation
    assert any(lh.criterion == "audit_trail" for lh in card.loopholes)
    assert problems(card, text) == []
    card.loopholes = []
    assert any("loophole" in p for p in problems(card, text))


def test_a_partial_element_criterion_asks_only_for_what_is_missing() -> None:
    text = "All queries of ALPR data are logged with the user's name."
    card = audit(text.encode(), name="memo.txt")
    trail = card.criterion("audit_trail")
    assert trail.level == "partial"
    asked = trail.recommendation.split("Model language:")[0]
    assert "already states every query or access is logged" in asked
    assert "Add " in asked
    assert "is logged; " not in asked.split("Add ")[1]  # not asked for again
    assert "how long the logs are kept" in asked.split("Add ")[1]
    assert problems(card, text, load_rubric(None)) == []
    trail.recommendation = "Add every query or access is logged. Model language: ..."
    assert any("which it found" in p for p in problems(card, text, load_rubric(None)))


def test_a_legal_finding_never_complies_on_clauses_its_criterion_rejected() -> None:
    text = ("The ALPR system is used by the Department. Officers use it to read plates.\n"
            "Purposes are set out by the Chief from time to time.")  # fmt: skip
    card = audit_text(source_of(text), None, jurisdiction="CA")
    purposes = card.criterion("authorized_purposes")
    legal = next(f for f in card.legal_findings if f.requirement == "purposes-stated")
    if purposes.rule == "elements.addressed-without-elements":
        assert legal.status == "violates"
    assert problems(card, text) == []
    purposes.rule = "elements.addressed-without-elements"
    legal.status = "complies"
    assert any("rejected" in p for p in problems(card, text))
