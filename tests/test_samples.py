"""End-to-end: every sample policy scores as a careful reader scores it (expected.toml).

``sample_policies/expected.toml`` was written by reading each sample against the core
criteria, not from the engine's output. Where the engine is known to misread a sample the
case is listed in ``KNOWN_ENGINE_GAPS`` and marked ``xfail(strict=True)``: when the engine
is fixed the test passes unexpectedly and fails, so the entry must be removed.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("policy_audit.ingest")

from policy_audit import Scorecard, audit
from policy_audit.ingest import read_document
from policy_audit.models import SourceText

SAMPLES = Path(__file__).resolve().parent.parent / "sample_policies"
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads(
    (SAMPLES / "expected.toml").read_text(encoding="utf-8")
)["samples"]
CRITERIA = ("retention", "sharing", "immigration", "reporting")
LEVELS = {"strong", "partial", "weak", "missing"}
SAMPLE_SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}
RUNNING_HEADER = "Millbrook County Sheriff's Office Policy Manual"

# (sample, criterion) -> what the engine gets wrong today. Remove an entry once it passes.
KNOWN_ENGINE_GAPS: dict[tuple[str, str], str] = {}

# (sample, criterion) -> evidence that is not verbatim today.
KNOWN_EVIDENCE_GAPS: dict[tuple[str, str], str] = {}


@functools.cache
def card_of(name: str) -> Scorecard:
    return audit(SAMPLES / name)


@functools.cache
def text_of(name: str) -> SourceText:
    return read_document(SAMPLES / name)


def _cases(gaps: dict[tuple[str, str], str]) -> list[Any]:
    cases = []
    for name in EXPECTED:
        for criterion in CRITERIA:
            gap = gaps.get((name, criterion))
            marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
            cases.append(pytest.param(name, criterion, marks=marks, id=f"{name}:{criterion}"))
    return cases


def test_expected_file_is_complete() -> None:
    on_disk = {
        path.relative_to(SAMPLES).as_posix()
        for path in SAMPLES.rglob("*")
        if path.suffix in SAMPLE_SUFFIXES
        and path.name != "README.md"
        and "src" not in path.relative_to(SAMPLES).parts
    }
    assert on_disk == set(EXPECTED), "every sample needs an entry in expected.toml"
    for name, entry in EXPECTED.items():
        for criterion in CRITERIA:
            assert entry[criterion] in LEVELS, (name, criterion)
        assert entry.get("note"), name
        days = entry.get("retention_days")
        assert days is None or (isinstance(days, int) and days > 0), name


def test_known_gaps_name_real_cases() -> None:
    for name, criterion in [*KNOWN_ENGINE_GAPS, *KNOWN_EVIDENCE_GAPS]:
        assert name in EXPECTED and criterion in CRITERIA


@pytest.mark.parametrize(("name", "criterion"), _cases(KNOWN_ENGINE_GAPS))
def test_level(name: str, criterion: str) -> None:
    result = card_of(name).criterion(criterion)
    assert result.level.value == EXPECTED[name][criterion], result.explanation


@pytest.mark.parametrize("name", list(EXPECTED))
def test_retention_days(name: str) -> None:
    assert card_of(name).facts.retention_days == EXPECTED[name].get("retention_days")


@pytest.mark.parametrize(("name", "criterion"), _cases(KNOWN_EVIDENCE_GAPS))
def test_evidence_is_verbatim(name: str, criterion: str) -> None:
    result = card_of(name).criterion(criterion)
    text = text_of(name).text
    if result.level.value == "missing":
        return
    assert result.evidence, f"{criterion}: {result.level} without evidence"
    for evidence in result.evidence:
        assert evidence.text.strip(), evidence
        assert text[evidence.start : evidence.end] == evidence.text, evidence
    for conflict in result.conflicts:
        for evidence in (conflict.stronger, conflict.weaker):
            assert text[evidence.start : evidence.end] == evidence.text, evidence


def test_pdf_evidence_has_pages() -> None:
    name = "millbrook-so-policy.pdf"
    source = text_of(name)
    assert source.quality.pages is not None and source.quality.pages >= 3
    for result in card_of(name).criteria:
        for evidence in result.evidence:
            assert evidence.page is not None, (result.id, evidence)
            assert evidence.page == source.page_at(evidence.start), (result.id, evidence)


def test_pdf_page_furniture_is_removed() -> None:
    text = text_of("millbrook-so-policy.pdf").text
    assert "Page 1 of" not in text
    assert "Page 2 of" not in text
    assert RUNNING_HEADER not in text
    assert not any(line.strip().startswith(RUNNING_HEADER) for line in text.splitlines())


def test_pdf_hyphenation_is_repaired() -> None:
    text = text_of("millbrook-so-policy.pdf").text
    # "enforce-ment" breaks across a line, "auto-matically" across a page.
    assert "immigration enforcement, including" in text
    assert "delete such records automatically when" in text
    assert "enforce-" not in text and "auto-" not in text
    assert "\ufffe" not in text


def test_pdf_and_docx_read_the_same() -> None:
    pdf, docx = card_of("millbrook-so-policy.pdf"), card_of("millbrook-so-policy.docx")
    for criterion in CRITERIA:
        assert pdf.criterion(criterion).level == docx.criterion(criterion).level
        pdf_quotes = [e.text for e in pdf.criterion(criterion).evidence]
        docx_quotes = [e.text for e in docx.criterion(criterion).evidence]
        assert pdf_quotes == docx_quotes, criterion


def test_riverton_is_strong_on_every_core_criterion() -> None:
    """The README's first command scores this sample: it must show the best case."""
    card = card_of("riverton-pd-policy-462.txt")
    assert {c: card.criterion(c).level.value for c in CRITERIA} == dict.fromkeys(CRITERIA, "strong")
    assert card.facts.retention_days == 30
    assert not any(card.criterion(c).conflicts for c in CRITERIA)


def test_riverton_lines_are_whole_paragraphs() -> None:
    """One paragraph or list item per line, so no sentence is cut by a hard wrap."""
    text = text_of("riverton-pd-policy-462.txt").text
    assert "shall not be used, shared or disclosed for immigration enforcement" in text
    assert "no later than 30 days after the date it was collected" in text


def test_riverton_sharing_evidence_comes_from_the_release_section() -> None:
    result = card_of("riverton-pd-policy-462.txt").criterion("sharing")
    assert all(e.section == "462.7 RELEASE OF ALPR DATA" for e in result.evidence)


def _audit_variant(name: str, old: str, new: str) -> Scorecard:
    """Audit a sample with one sentence reworded (to pin down an engine misreading)."""
    from policy_audit.pipeline import audit_text

    original = (SAMPLES / name).read_text(encoding="utf-8")
    assert old in original
    variant = original.replace(old, new).encode("utf-8")
    return audit_text(read_document(variant, name=name), "core")


RIVERTON_REPORT = (
    "the Department shall publish on its website an annual ALPR report for the previous "
    "calendar year stating the number of license plates scanned"
)
RIVERTON_AUDIT = (
    "to confirm that each search had a case number and an authorized purpose. The "
    "Administrator shall also review every release of ALPR data made under section 462.7."
)


def test_report_figures_in_a_following_sentence_count() -> None:
    """Usage figures in the sentence after the one that publishes the annual report ("The
    report shall state the number of ...") belong to that public report."""
    card = _audit_variant(
        "riverton-pd-policy-462.txt",
        RIVERTON_REPORT,
        "the Department shall publish on its website an annual ALPR report for the previous "
        "calendar year. The report shall state the number of license plates scanned",
    )
    assert card.criterion("reporting").level.value == "strong"


def test_sharing_process_evidence_ignores_audit_sentences() -> None:
    card = _audit_variant(
        "riverton-pd-policy-462.txt",
        RIVERTON_AUDIT,
        "to confirm that each search had a case number and an authorized purpose, and shall "
        "review every release of ALPR data made under section 462.7.",
    )
    result = card.criterion("sharing")
    assert all(e.section == "462.7 RELEASE OF ALPR DATA" for e in result.evidence)


def test_harbor_reporting_evidence_is_a_sentence() -> None:
    """The internal-only evidence is paragraph A (a memo with the findings to the Chief of
    Police), not the heading 'VII. AUDITS'."""
    result = card_of("harbor-city-mixed.txt").criterion("reporting")
    quotes = [e.text for e in result.evidence]
    assert "VII. AUDITS" not in quotes
    assert any("Chief of Police" in q for q in quotes)


def test_docx_sections_are_detected() -> None:
    card = card_of("millbrook-so-policy.docx")
    sections = set()
    for result in card.criteria:
        for evidence in result.evidence:
            assert evidence.section, (result.id, evidence)
            sections.add(evidence.section)
    assert "430.5 DATA RETENTION" in sections
    assert "430.4 IMMIGRATION ENFORCEMENT" in sections


def test_docx_has_no_pages() -> None:
    card = card_of("millbrook-so-policy.docx")
    assert all(e.page is None for r in card.criteria for e in r.evidence)


def test_harbor_city_reports_its_retention_conflict() -> None:
    result = card_of("harbor-city-mixed.txt").criterion("retention")
    assert result.conflicts, "the 60-day purge and the supervisor's open-ended hold conflict"
    quotes = " ".join(e.text for e in result.evidence)
    assert "60 days" in quotes and "considers necessary" in quotes


def test_oakdale_drafts_move_in_opposite_directions() -> None:
    """Draft 2 improves retention and immigration (by hand reading and by the engine)."""
    one, two = card_of("drafts/oakdale-draft-1.txt"), card_of("drafts/oakdale-draft-2.txt")
    assert one.facts.retention_days == 365 and two.facts.retention_days == 30
    assert one.criterion("immigration").level.value == "missing"
    assert two.criterion("immigration").level.value == "strong"
