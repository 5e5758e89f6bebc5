"""The brief and the plain wording people read: agency, asks, violations, locations."""

from __future__ import annotations

import pytest

from policy_audit.department import agency_name
from policy_audit.models import Evidence, Level
from policy_audit.pipeline import audit_text
from policy_audit.report import render
from policy_audit.report.brief import (
    build_brief,
    finding_sentence,
    is_heading_only,
    pages_text,
    plain_explanation,
    where,
)
from tests.conftest import source_of

WEAK_POLICY = """\
Cedar Hollow Police Department
General Order 31: License Plate Readers

31.1 RETENTION
ALPR data may be kept as long as necessary.

31.2 SHARING
ALPR data may be shared with any law enforcement agency that asks for it.
"""


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("Cedar Hollow Police Department\nGeneral Order 31\n", "Cedar Hollow Police Department"),
        ("MAPLE COUNTY SHERIFF'S OFFICE\nPolicy Manual\n", "Maple County Sheriff's Office"),
        ("Orchard CA PD\nTransparency Portal\nOverview\n", "Orchard CA PD"),
        ("NORCEN\nTransparency Portal\n", "NORCEN"),
        ("Policy\n427.1 PURPOSE\nThe Fern Lake Police Department uses ALPR. The Fern Lake "
         "Police Department shall audit it.\n", "Fern Lake Police Department"),
        ("Police Department Policy Manual\nALPR data shall be purged.\n", None),
        ("Lemon cake\nBeat the butter.\n", None),
    ],
)
def test_the_agency_is_read_from_the_document(text: str, agency: str | None) -> None:
    assert agency_name(text) == agency


@pytest.fixture(scope="module")
def card():
    return audit_text(source_of(WEAK_POLICY, name="go-31.txt"), jurisdiction="CA")


def test_brief_names_the_agency_grade_meaning_and_retention(card) -> None:
    brief = build_brief(card)
    assert brief.agency == "Cedar Hollow Police Department" and brief.document == "go-31.txt"
    assert brief.meaning and brief.grade == card.overall.grade
    assert brief.retention == "no maximum set" and brief.retention_days is None


def test_asks_are_the_largest_gains_with_model_language(card) -> None:
    brief = build_brief(card)
    assert 3 <= len(brief.asks) <= 5
    gains = [ask.points for ask in brief.asks]
    assert gains == sorted(gains, reverse=True)
    total = sum(c.weight for c in card.criteria)
    # Whatever is not asked for would gain no more than the smallest ask.
    asked = {ask.criterion for ask in brief.asks}
    for result in card.criteria:
        if result.id not in asked and result.level is not Level.STRONG:
            assert 100 * result.weight * (1 - result.score) / total <= gains[-1] + 0.05
    assert all(ask.model_language and ask.ask and "(rule:" not in ask.finding
               for ask in brief.asks)


def test_violations_name_the_statute_once_with_the_quote(card) -> None:
    brief = build_brief(card)
    assert brief.violations
    sharing = next(v for v in brief.violations if "1798.90.55" in v.statute)
    assert not sharing.requirement.startswith("violates")
    assert sharing.quote is not None and "any law enforcement agency" in sharing.quote.text
    assert "The policy says" not in sharing.requirement  # the quote is shown apart


def test_plain_words_in_every_human_format(card) -> None:
    for fmt in ("markdown", "text", "html"):
        output = render(card, fmt)
        people = output.split("How this was scored")[0]
        assert "(rule:" not in people, fmt
        assert "page(s)" not in output and "[violates] violates" not in output
        assert "Cedar Hollow Police Department" in output.splitlines()[0] or fmt == "html"
        assert " × " not in people
    html = render(card, "html")
    assert "<h1 id=\"brief-title\">Cedar Hollow Police Department</h1>" in html
    assert html.index('id="brief"') < html.index('class="card')


def test_explanation_loses_the_rule_and_the_finding_its_quotes() -> None:
    card = audit_text(source_of(WEAK_POLICY))
    retention = card.criterion("retention")
    assert "(rule:" in retention.explanation  # the JSON keeps it
    assert "(rule:" not in plain_explanation(retention.explanation)
    finding = finding_sentence(retention)
    assert "“" not in finding and finding.endswith((".", "…"))


def test_a_bare_heading_is_never_evidence_and_the_agency_is_no_section() -> None:
    heading = Evidence(text="Purpose", start=0, end=7, section="Purpose")
    clause = Evidence(text="Reads shall be purged after 30 days.", start=8, end=44,
                      section="Orchard CA PD", page=2)
    assert is_heading_only(heading) and not is_heading_only(clause)
    card = audit_text(source_of("Orchard CA PD\nTransparency Portal\nALPR data: 30 days\n"))
    assert card.document.agency == "Orchard CA PD"
    assert where(clause, card) == "p. 2"  # not "§ Orchard CA PD"
    assert pages_text(1) == "1 page" and pages_text(3) == "3 pages" and pages_text(None) == ""
