"""The generic ``elements`` scorer: a criterion written only as rubric data."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_audit.errors import RubricError
from policy_audit.pipeline import audit_text
from policy_audit.rubric import load_rubric
from tests.conftest import ELEMENT_LEVELS, one_criterion_rubric, source_of

MANIFEST = 'id = "audits-only"\nversion = "0.1"\ntitle = "Audits"\n'

CRITERION = '''
id = "audits"
title = "Audits with consequences"
question = "Are ALPR searches audited on a schedule, independently, with consequences?"
weight = 1
scorer = "elements"
why = "Logs nobody reads do not stop misuse."
model_language = "The Department shall audit all ALPR searches quarterly."
citations = [{ title = "Minn. Stat. 13.824 subd. 6", source = "Minnesota statute" }]

''' + ELEMENT_LEVELS + '''
[detect]
triggers = ["audit", "audits", "audited"]
about = '\\b(?:ALPR|LPR|plate|search|quer)'

[[detect.elements]]
id = "schedule"
label = "a fixed schedule"
pattern = '\\b(?:quarterly|monthly|annual(?:ly)?)\\b'

[[detect.elements]]
id = "independent"
label = "an independent auditor"
pattern = '\\bindependent\\b'

[[detect.elements]]
id = "no_face"
label = "no face recognition"
pattern = '\\bfac(?:e|ial)\\s+recognition\\b'
require = "ban"

[[detect.loopholes]]
id = "as_needed"
label = "audits only as needed"
pattern = '\\bas\\s+needed\\b'
why = "No schedule means no audit."
'''


@pytest.fixture(scope="module")
def rubric(tmp_path_factory: pytest.TempPathFactory):
    return one_criterion_rubric(tmp_path_factory.mktemp("rubric"), MANIFEST, CRITERION)


def level(rubric, text: str) -> str:
    return audit_text(source_of(text), rubric).criterion("audits").level.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ALPR administrator shall audit searches quarterly, and an independent firm shall "
         "audit them every two years. Audits shall confirm that ALPR data is never used for "
         "facial recognition.", "strong"),
        ("ALPR searches shall be audited quarterly.", "partial"),
        ("ALPR searches should be audited quarterly.", "weak"),  # soft verb
        ("ALPR searches shall be audited quarterly unless the Chief approves otherwise.", "weak"),
        ("ALPR searches shall be audited quarterly and as needed by an independent auditor. "
         "ALPR data shall not be used for face recognition.", "weak"),  # the loophole decides
        ("Plate searches are audited.", "weak"),  # addressed, no element
        ("The ALPR system may be used with facial recognition.", "missing"),  # no trigger
        ("The finance office audits travel claims quarterly.", "missing"),  # not about ALPR
    ],
)
def test_levels(rubric, text: str, expected: str) -> None:
    assert level(rubric, text) == expected


@pytest.mark.parametrize(
    ("text", "exception"),
    [
        ("ALPR searches shall be audited quarterly except with the approval of the Chief.",
         "except with the approval of the Chief."),
        ("ALPR searches shall be audited quarterly, unless approved by a supervisor.",
         "unless approved by a supervisor."),
    ],
)
def test_approval_exception_is_a_qualified_partial(rubric, text: str, exception: str) -> None:
    result = audit_text(source_of(text), rubric).criterion("audits")
    assert result.level.value == "partial"
    assert result.rule == "elements.qualified"
    assert exception in result.explanation and "a fixed schedule" in result.explanation
    assert result.evidence[0].text == text


def test_approval_exception_keeps_an_otherwise_complete_policy_from_strong(rubric) -> None:
    text = ("ALPR searches shall be audited quarterly unless approved by a supervisor, and an "
            "independent firm shall audit them every two years. ALPR data shall never be used for "
            "facial recognition.")
    result = audit_text(source_of(text), rubric).criterion("audits")
    assert result.level.value == "partial"
    assert "unless approved by a supervisor" in result.explanation


@pytest.mark.parametrize(
    "text",
    [
        "ALPR searches shall be audited quarterly except as required by law.",
        "ALPR searches shall be audited quarterly unless a commander authorizes otherwise.",
    ],
)
def test_law_and_blanket_waivers_still_swallow(rubric, text: str) -> None:
    assert level(rubric, text) == "weak"


def test_heading_counts_as_trigger(rubric) -> None:
    text = "7.2 AUDITS\n(a) ALPR queries are reviewed monthly by the records unit."
    card = audit_text(source_of(text), rubric)
    result = card.criterion("audits")
    assert result.level.value == "partial"
    assert result.evidence[0].section == "7.2 AUDITS"


def test_evidence_and_explanation_name_elements(rubric) -> None:
    card = audit_text(source_of("ALPR searches shall be audited quarterly."), rubric)
    result = card.criterion("audits")
    assert "a fixed schedule" in result.explanation
    assert "an independent auditor" in result.explanation
    assert result.evidence[0].text == "ALPR searches shall be audited quarterly."


def test_bad_pattern_is_rejected_with_file_and_fix(tmp_path: Path) -> None:
    (tmp_path / "rubric.toml").write_text(MANIFEST)
    (tmp_path / "criteria").mkdir()
    broken = CRITERION.replace("'\\bindependent\\b'", "'(unclosed'")
    assert broken != CRITERION
    (tmp_path / "criteria" / "audits.toml").write_text(broken)
    with pytest.raises(RubricError, match=r"audits\.toml.*regular expression"):
        load_rubric(tmp_path)


def test_elements_scorer_needs_a_detect_table(tmp_path: Path) -> None:
    (tmp_path / "rubric.toml").write_text(MANIFEST)
    (tmp_path / "criteria").mkdir()
    no_detect = CRITERION.split("[detect]")[0]
    (tmp_path / "criteria" / "audits.toml").write_text(no_detect)
    with pytest.raises(RubricError, match=r"audits\.toml.*\[detect\]"):
        load_rubric(tmp_path)
