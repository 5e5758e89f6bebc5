"""The shipped rubric content, its annotated examples, and custom rubric folders.

(a) the shipped ``core`` rubric loads and carries the four core criteria with the level
    meanings the project fixed for them (hard-coded here, so the test runs in any clone);
(b) every example in every shipped criterion earns its stated level (and retention_days)
    when the engine scores it;
(c) a custom rubric folder with a mistake raises ``RubricError`` naming the file and the fix;
(d) a valid custom rubric loads and scores, and the scorecard names it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from policy_audit.errors import RubricError
from policy_audit.models import LEVEL_RANK, Level, SourceText
from policy_audit.pipeline import audit_text
from policy_audit.registry import scorer_names
from policy_audit.rubric import list_rubrics, load_rubric, load_rubric_dir, rubric_root
from tests.conftest import source_of

CORE_IDS = ("retention", "sharing", "immigration", "reporting")
CORE_WEIGHTS = {"retention": 3.0, "sharing": 3.0, "immigration": 3.0, "reporting": 2.0}

# The level meanings every rubric must use for the core criteria, word for word as the
# project's core-criteria definitions state them (markdown emphasis included).
CORE_MEANINGS: dict[str, dict[str, str]] = {
    "retention": {
        "strong": "a mandatory limit (shall/must/will be purged, deleted, destroyed) of "
        "**30 days or less**",
        "partial": "a mandatory limit of 31–365 days",
        "weak": 'a limit over 365 days; or only discretionary deletion ("may be purged", '
        '"should"); or retention addressed with no limit (minimum only, "as needed", '
        "unnamed schedule)",
        "missing": "retention is not addressed",
    },
    "sharing": {
        "strong": "sharing outside the agency is allowed **only** with public (law-enforcement) "
        "agencies, **and** each disclosure needs a stated need/right to know or a documented "
        "request or approval (or a written agreement), **and** giving the data to private "
        "persons or companies, by sale or otherwise, is expressly forbidden (a ban on sharing "
        'with "any other individual or entity" covers it)',
        "partial": "some real limit on recipients or process (e.g. only law-enforcement "
        "agencies; or approval required; or sale forbidden), but not all three parts of strong",
        "weak": 'broad permission: any agency or entity, "as deemed appropriate", '
        "nationwide/vendor sharing networks opted into, or sharing with private entities allowed",
        "missing": "external sharing is not addressed",
    },
    "immigration": {
        "strong": "an explicit prohibition that covers **both** using and sharing ALPR data for "
        "immigration enforcement (naming immigration enforcement, immigration status, ICE, CBP, "
        "DHS immigration functions or federal immigration authorities; one sentence can cover "
        'both: "shall not be used or shared for…"); an exception only for a judicial warrant or '
        "court order keeps it strong",
        "partial": 'a prohibition that a broad exception can swallow ("except as '
        'required/permitted by law", "unless approved by the Chief"), or covering only use but '
        "not sharing (or only sharing but not use), or a ban made only by reference to a state "
        "law or another policy without saying what it forbids",
        "weak": "no ban, and the policy expressly allows sharing with federal agencies (or "
        "DHS/ICE), or with any law-enforcement agency without limit, or joins a nationwide "
        "sharing network",
        "missing": "immigration is not addressed and no such broad sharing is allowed",
    },
    "reporting": {
        "strong": "a public report at least yearly **with usage figures** (e.g. numbers of "
        "scans, hits, searches, data requests or agencies given access, audit results), **and** "
        "the policy itself is published (website)",
        "partial": "one of the two: a periodic public report, or a published policy; or a "
        "periodic report to the council / oversight body with usage figures that is not said to "
        "be public",
        "weak": "reporting only inside the department (to the Chief, command staff) or audits "
        "whose results are not released",
        "missing": "reporting is not addressed",
    },
}

# Where the project's shared definitions live on a development machine (optional).
SHARED_CORE = Path(os.environ.get("POLICY_AUDIT_CORE_CRITERIA", "/work/shared/core-criteria.md"))


# --------------------------------------------------------------------------- (a) core rubric


def test_core_rubric_loads_with_the_four_core_criteria() -> None:
    rubric = load_rubric("core")
    assert rubric.id == "core"
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", rubric.version)
    assert tuple(c.id for c in rubric.criteria) == CORE_IDS
    assert rubric.grades == {"A": 90.0, "B": 80.0, "C": 70.0, "D": 60.0, "F": 0.0}
    default = load_rubric()
    assert default.id == "comprehensive", "the comprehensive rubric is the default"
    assert tuple(c.id for c in default.criteria)[:4] == CORE_IDS
    assert len(default.criteria) >= 18


@pytest.mark.parametrize("criterion_id", CORE_IDS)
def test_core_level_meanings_are_the_fixed_ones(criterion_id: str) -> None:
    criterion = load_rubric("core").criterion(criterion_id)
    meanings = {level.value: spec.meaning for level, spec in criterion.levels.items()}
    assert meanings == CORE_MEANINGS[criterion_id]


@pytest.mark.parametrize("criterion_id", CORE_IDS)
def test_core_criterion_content_is_complete(criterion_id: str) -> None:
    criterion = load_rubric("core").criterion(criterion_id)
    assert criterion.core is True
    assert criterion.scorer == criterion_id
    assert criterion.weight == CORE_WEIGHTS[criterion_id]
    assert len(criterion.citations) >= 2
    for citation in criterion.citations:
        assert citation.url is None or citation.url.startswith("https://")
    assert 4 <= len(criterion.examples) <= 8
    assert {e.level for e in criterion.examples} == set(Level), "an example for every level"
    scores = [criterion.score_for(level) for level in Level]  # best first
    assert scores[0] == 1.0 and scores[-1] == 0.0
    assert scores == sorted(scores, reverse=True), "a better level never scores less"
    for level in (Level.PARTIAL, Level.WEAK, Level.MISSING):
        assert criterion.levels[level].recommendation, f"{level.value} needs a recommendation"


def test_core_model_language_together_earns_strong_everywhere() -> None:
    rubric = load_rubric("core")
    policy = "\n\n".join(c.model_language for c in rubric.criteria)
    card = audit_text(source_of(policy), rubric)
    assert {r.id: r.level for r in card.criteria} == dict.fromkeys(CORE_IDS, Level.STRONG)
    assert card.overall.score == 100.0 and card.overall.grade == "A"


@pytest.mark.parametrize("criterion_id", CORE_IDS)
def test_model_language_alone_earns_strong(criterion_id: str) -> None:
    rubric = load_rubric("core")
    card = audit_text(source_of(rubric.criterion(criterion_id).model_language), rubric)
    assert card.criterion(criterion_id).level is Level.STRONG, card.criterion(criterion_id)


def test_every_shipped_rubric_contains_the_core_criteria_unchanged() -> None:
    for rubric in list_rubrics():
        for criterion_id in CORE_IDS:
            criterion = rubric.criterion(criterion_id)
            meanings = {level.value: spec.meaning for level, spec in criterion.levels.items()}
            assert meanings == CORE_MEANINGS[criterion_id], f"{rubric.id}/{criterion_id}"


@pytest.mark.skipif(not SHARED_CORE.is_file(), reason="shared core-criteria definitions absent")
def test_hard_coded_meanings_match_the_shared_definitions() -> None:
    """On a machine with the shared definitions, catch drift between them and this test."""
    text = SHARED_CORE.read_text(encoding="utf-8")
    for criterion_id, meanings in CORE_MEANINGS.items():
        section = text.split(f"## `{criterion_id}`", 1)[1].split("\n## ", 1)[0]
        rows = dict(re.findall(r"^\| (strong|partial|weak|missing) \| (.+) \|$", section, re.M))
        assert rows == meanings, criterion_id


# --------------------------------------------------------------------------- (b) examples


def _shipped_examples() -> list[pytest.param]:
    params = []
    seen: set[tuple[str, str]] = set()
    for manifest in sorted(rubric_root().glob("*/rubric.toml")):
        rubric = load_rubric_dir(manifest.parent)
        for criterion in rubric.criteria:
            for index, example in enumerate(criterion.examples):
                key = (criterion.id, example.text)
                if key in seen:  # criteria files are shared between shipped rubrics
                    continue
                seen.add(key)
                words = re.sub(r"\W+", "-", example.text.strip()[:40]).strip("-")
                params.append(pytest.param(
                    rubric.id, criterion.id, index,
                    id=f"{criterion.id}-{index}-{example.level.value}-{words}",
                ))  # fmt: skip
    return params


SHIPPED_EXAMPLES = _shipped_examples()


def test_there_are_shipped_examples() -> None:
    assert len(SHIPPED_EXAMPLES) >= 4 * len(CORE_IDS)


@pytest.mark.parametrize(("rubric_id", "criterion_id", "index"), SHIPPED_EXAMPLES)
def test_shipped_example_earns_its_level(rubric_id: str, criterion_id: str, index: int) -> None:
    rubric = load_rubric(rubric_id)
    criterion = rubric.criterion(criterion_id)
    example = criterion.examples[index]
    card = audit_text(source_of(example.text), rubric)
    result = card.criterion(criterion_id)
    assert result.level is example.level, (
        f"{criterion_id} example {index} should be {example.level.value}, engine says "
        f"{result.level.value}: {result.explanation}\n  text: {example.text!r}"
    )
    if example.retention_days is not None:
        assert card.facts.retention_days == example.retention_days, result.explanation
    elif criterion.scorer == "retention":
        # In a retention criterion, leaving retention_days out means "no maximum" (null).
        assert card.facts.retention_days is None, result.explanation


def _near_misses() -> list[pytest.param]:
    criteria = {c.id: c for r in (load_rubric("comprehensive"), load_rubric("core"))
                for c in r.criteria}
    return [pytest.param(cid, index, id=f"{cid}-{index}")
            for cid, criterion in criteria.items()
            for index, _ in enumerate(criterion.near_misses)]


@pytest.mark.parametrize(("criterion_id", "index"), _near_misses())
def test_shipped_near_miss_stays_below_its_level(criterion_id: str, index: int) -> None:
    criterion = load_rubric("comprehensive").criterion(criterion_id)
    miss = criterion.near_misses[index]
    level = audit_text(source_of(miss.text), "comprehensive").criterion(criterion_id).level
    assert LEVEL_RANK[level] < LEVEL_RANK[miss.below], (
        f"{criterion_id} near miss {index} reached {level.value} but must stay below "
        f"{miss.below.value} ({miss.why}): {miss.text!r}")


def test_every_shipped_criterion_has_a_near_miss_for_strong() -> None:
    for criterion in load_rubric("comprehensive").criteria:
        assert any(miss.below is Level.STRONG for miss in criterion.near_misses), criterion.id


# --------------------------------------------------------------------------- (c) mistakes

CRITERION = """\
id = "{id}"
title = "Non-hit data is destroyed quickly"
question = "Is ALPR data not tied to a hit purged within a week?"
weight = {weight}
scorer = "{scorer}"
why = "A week of location history is plenty for any case a hit starts."
model_language = "ALPR data not tied to a hit shall be purged no later than 7 days after capture."
{extra}

[levels.strong]
meaning = "a mandatory limit of 7 days or less"
score = 1.0
{strong_band}

[levels.partial]
meaning = "a mandatory limit of 8 to 365 days"
score = 0.5
{partial_band}
recommendation = "Cut the limit to 7 days."

[levels.weak]
meaning = "no enforceable limit, or a limit over a year"
score = 0.1

[levels.missing]
meaning = "retention is not addressed"
score = 0.0

{citations}
{examples}
"""

EXAMPLES = """\
[[examples]]
text = "ALPR data not tied to a hit shall be purged 5 days after collection."
level = "strong"

[[examples]]
text = "ALPR data not tied to a hit shall be purged 90 days after collection."
level = "partial"

[[examples]]
text = "ALPR data not tied to a hit may be purged when no longer needed."
level = "weak"

[[examples]]
text = "Officers shall keep their patrol cars clean."
level = "missing"

[[near_misses]]
text = "ALPR data not tied to a hit shall be purged 30 days after collection."
below = "strong"
why = "A month is more than the week this rubric asks for."
"""

CITATIONS = """\
[[citations]]
title = "Retention caps in state law"
source = "Example research note"
url = "https://example.org/retention"
"""

MANIFEST = """\
id = "{id}"
version = "{version}"
title = "A custom test rubric"
description = "Written by tests/test_rubric.py."
criteria = {criteria}

[grades]
A = 95
B = 85
C = 75
D = 65
F = 0
"""


def write_rubric(
    folder: Path,
    *,
    rubric_id: str = "custom-test",
    version: str = "2.1",
    criteria: tuple[str, ...] = ("quick_purge",),
    files: dict[str, str] | None = None,
) -> Path:
    """A rubric folder: ``rubric.toml`` plus ``criteria/<id>.toml`` for each file given."""
    folder.mkdir(parents=True, exist_ok=True)
    listed = "[" + ", ".join(f'"{c}"' for c in criteria) + "]"
    (folder / "rubric.toml").write_text(
        MANIFEST.format(id=rubric_id, version=version, criteria=listed), encoding="utf-8"
    )
    (folder / "criteria").mkdir(exist_ok=True)
    if files is None:
        files = {"quick_purge": criterion_toml()}
    for stem, text in files.items():
        (folder / "criteria" / f"{stem}.toml").write_text(text, encoding="utf-8")
    return folder


def criterion_toml(
    *,
    criterion_id: str = "quick_purge",
    weight: float = 5,
    scorer: str = "retention",
    extra: str = "",
    citations: str = CITATIONS,
    examples: str = EXAMPLES,
) -> str:
    banded = scorer == "retention"  # only the retention scorer reads max_days
    return CRITERION.format(
        id=criterion_id, weight=weight, scorer=scorer, extra=extra, citations=citations,
        examples=examples,
        strong_band="max_days = 7" if banded else "",
        partial_band="max_days = 365" if banded else "",
    )


def rubric_error(folder: Path) -> str:
    with pytest.raises(RubricError) as caught:
        load_rubric(folder)
    return str(caught.value)


def criterion_path(folder: Path, stem: str = "quick_purge") -> str:
    return str((folder / "criteria" / f"{stem}.toml").resolve())


def test_the_custom_rubric_template_is_valid(tmp_path: Path) -> None:
    rubric = load_rubric(write_rubric(tmp_path / "ok"))
    assert [c.id for c in rubric.criteria] == ["quick_purge"]


def test_retention_bands_come_from_the_rubric(tmp_path: Path) -> None:
    """A rubric asking for 7 days must not rate a 30-day limit strong."""
    week = load_rubric(write_rubric(tmp_path / "week"))
    text = "ALPR data not tied to a hit shall be purged 30 days after collection."
    card = audit_text(source_of(text), rubric=week)
    assert card.criterion("quick_purge").level is Level.PARTIAL
    assert "8–365 days" in card.criterion("quick_purge").explanation
    assert audit_text(source_of(text), rubric="core").criterion("retention").level is Level.STRONG
    short = text.replace("30 days", "5 days")
    assert audit_text(source_of(short), rubric=week).criterion("quick_purge").level is Level.STRONG


def test_retention_needs_its_bands(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r", files={"quick_purge": criterion_toml().replace(
        "max_days = 7\n", "")})
    assert "needs max_days in [levels.strong] and [levels.partial]" in rubric_error(folder)
    swapped = criterion_toml().replace("max_days = 7", "max_days = 400")
    folder = write_rubric(tmp_path / "s", files={"quick_purge": swapped})
    assert "strong.max_days must be smaller" in rubric_error(folder)


def test_a_criterion_without_examples_is_refused(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r", files={"quick_purge": criterion_toml(examples="")})
    message = rubric_error(folder)
    assert criterion_path(folder) in message
    assert "add an [[examples]] entry with level = 'strong'" in message


def test_a_criterion_without_a_near_miss_is_refused(tmp_path: Path) -> None:
    examples = EXAMPLES[: EXAMPLES.index("[[near_misses]]")]
    folder = write_rubric(tmp_path / "r", files={"quick_purge": criterion_toml(
        examples=examples)})
    assert "add a [[near_misses]] entry" in rubric_error(folder)


def test_unknown_field_names_file_and_field(tmp_path: Path) -> None:
    folder = write_rubric(
        tmp_path / "r", files={"quick_purge": criterion_toml(extra='colour = "red"')}
    )
    message = rubric_error(folder)
    assert criterion_path(folder) in message
    assert "unknown field 'colour'" in message and "remove it or check its spelling" in message


def test_unknown_field_in_manifest_names_the_manifest(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r")
    manifest = folder / "rubric.toml"
    manifest.write_text('auther = "me"\n' + manifest.read_text(), encoding="utf-8")
    message = rubric_error(folder)
    assert str(manifest) in message and "unknown field 'auther'" in message


def test_missing_citations_names_file_and_says_add_it(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r", files={"quick_purge": criterion_toml(citations="")})
    message = rubric_error(folder)
    assert criterion_path(folder) in message
    assert "missing field 'citations': add it" in message


def test_empty_citations_names_file_and_the_minimum(tmp_path: Path) -> None:
    toml = criterion_toml(citations="", extra="citations = []")
    folder = write_rubric(tmp_path / "r", files={"quick_purge": toml})
    message = rubric_error(folder)
    assert criterion_path(folder) in message
    assert "field 'citations'" in message and "at least 1 item" in message


def test_criterion_listed_twice_names_manifest(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r", criteria=("quick_purge", "quick_purge"))
    message = rubric_error(folder)
    assert str(folder / "rubric.toml") in message
    assert "criterion 'quick_purge' is listed twice" in message


def test_two_files_with_the_same_id_are_caught(tmp_path: Path) -> None:
    # A copied file whose id was not updated: its id no longer matches its file name.
    files = {"quick_purge": criterion_toml(), "quick_purge_copy": criterion_toml()}
    folder = write_rubric(tmp_path / "r", criteria=("quick_purge", "quick_purge_copy"), files=files)
    message = rubric_error(folder)
    assert criterion_path(folder, "quick_purge_copy") in message
    assert "must match the file name 'quick_purge_copy'" in message


def test_unknown_scorer_names_file_and_lists_the_scorers(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r", files={"quick_purge": criterion_toml(scorer="retain")})
    message = rubric_error(folder)
    assert criterion_path(folder) in message
    assert "unknown scorer 'retain'" in message
    assert "use one of: " + ", ".join(scorer_names()) in message


def test_id_not_matching_file_name(tmp_path: Path) -> None:
    toml = criterion_toml(criterion_id="fast_purge")
    folder = write_rubric(tmp_path / "r", files={"quick_purge": toml})
    message = rubric_error(folder)
    assert criterion_path(folder) in message
    assert "id 'fast_purge' must match the file name 'quick_purge'" in message


def test_invalid_toml_names_file_and_says_fix_the_syntax(tmp_path: Path) -> None:
    broken = criterion_toml().replace("weight = 5", 'weight = "5')
    folder = write_rubric(tmp_path / "r", files={"quick_purge": broken})
    message = rubric_error(folder)
    assert criterion_path(folder) in message
    assert "not valid TOML" in message and "fix the syntax" in message


def test_invalid_toml_in_manifest(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r")
    (folder / "rubric.toml").write_text("id = core\n", encoding="utf-8")
    message = rubric_error(folder)
    assert str(folder / "rubric.toml") in message and "not valid TOML" in message


def test_missing_rubric_toml_names_the_folder(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r")
    (folder / "rubric.toml").unlink()
    with pytest.raises(RubricError) as caught:
        load_rubric_dir(folder)
    message = str(caught.value)
    assert str(folder) in message and "no rubric.toml here" in message


def test_path_that_is_not_a_rubric(tmp_path: Path) -> None:
    message = rubric_error(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in message
    assert "no such rubric" in message and "core" in message


def test_listed_criterion_without_a_file(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r", criteria=("quick_purge", "vendor_controls"))
    message = rubric_error(folder)
    assert str(folder / "rubric.toml") in message
    assert "'vendor_controls' is listed" in message and "vendor_controls.toml does not exist" in (
        message
    )


def test_missing_level_table(tmp_path: Path) -> None:
    toml = criterion_toml().replace(
        '[levels.weak]\nmeaning = "no enforceable limit, or a limit over a year"\nscore = 0.1\n', ""
    )
    folder = write_rubric(tmp_path / "r", files={"quick_purge": toml})
    message = rubric_error(folder)
    assert criterion_path(folder) in message and "add a [levels.weak] table" in message


def test_bad_version_names_the_manifest(tmp_path: Path) -> None:
    folder = write_rubric(tmp_path / "r", version="v2")
    message = rubric_error(folder)
    assert str(folder / "rubric.toml") in message and "field 'version'" in message


def test_score_out_of_range(tmp_path: Path) -> None:
    toml = criterion_toml().replace("score = 1.0", "score = 10")
    folder = write_rubric(tmp_path / "r", files={"quick_purge": toml})
    message = rubric_error(folder)
    assert criterion_path(folder) in message and "levels.strong.score" in message


# --------------------------------------------------------------------------- (d) custom rubric


def test_custom_rubric_loads_and_scores(tmp_path: Path) -> None:
    examples = """
[[examples]]
text = "Plate reads not tied to a hit shall be purged after five days."
level = "strong"
retention_days = 5
"""
    toml = criterion_toml(weight=7, citations=CITATIONS + examples)
    folder = write_rubric(tmp_path / "custom", files={"quick_purge": toml})
    rubric = load_rubric(folder)
    assert (rubric.id, rubric.version) == ("custom-test", "2.1")
    assert rubric.grades["A"] == 95.0
    criterion = rubric.criterion("quick_purge")
    assert criterion.weight == 7.0 and criterion.core is False

    policy = "ALPR data not associated with a hit shall be purged ninety (90) days after capture."
    card = audit_text(source_of(policy), folder)
    assert (card.rubric.id, card.rubric.version) == ("custom-test", "2.1")
    assert [r.id for r in card.criteria] == ["quick_purge"]
    result = card.criterion("quick_purge")
    assert result.level is Level.PARTIAL
    assert result.score == 0.5 and result.weight == 7.0  # the custom rubric's numbers
    assert result.recommendation.startswith("Cut the limit to 7 days.")
    assert card.facts.retention_days == 90
    assert card.overall.score == 50.0 and card.overall.grade == "F"  # custom bands: D is 65

    example = criterion.examples[0]
    example_card = audit_text(source_of(example.text), rubric)
    assert example_card.criterion("quick_purge").level is example.level
    assert example_card.facts.retention_days == example.retention_days


def test_custom_rubric_from_a_file_via_audit(tmp_path: Path) -> None:
    from policy_audit.pipeline import audit

    folder = write_rubric(tmp_path / "custom")
    policy = tmp_path / "policy.txt"
    policy.write_text(
        "Reads that do not match a hot list shall be deleted within 3 days.\n", "utf-8"
    )
    card = audit(policy, rubric=folder)
    assert card.rubric.id == "custom-test"
    assert card.criterion("quick_purge").level is Level.STRONG
    assert card.overall.grade == "A"


def test_rubric_check_passes_the_shipped_rubric(capsys: pytest.CaptureFixture[str]) -> None:
    from policy_audit.cli import main

    assert main(["rubric", "--rubric", "core", "--check"]) == 0
    assert "of" in capsys.readouterr().out


def test_rubric_check_names_an_example_the_engine_disagrees_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from policy_audit.cli import main

    wrong = EXAMPLES.replace('purged 5 days after collection."\nlevel = "strong"',
                             'purged 90 days after collection."\nlevel = "strong"')
    assert wrong != EXAMPLES
    folder = write_rubric(tmp_path / "r", files={"quick_purge": criterion_toml(examples=wrong)})
    assert main(["rubric", "--rubric", str(folder), "--check"]) == 3
    err = capsys.readouterr().err
    assert "quick_purge: example should be strong, scores partial" in err
    assert "90 days" in err


def test_model_language_earns_an_a_and_every_grade_has_words() -> None:
    from policy_audit.model_policy import model_policy

    rubric = load_rubric()
    card = audit_text(model_policy(rubric), rubric)
    assert card.overall.grade == "A", card.overall.score
    assert set(rubric.grade_meanings) == set(rubric.grades)
    # A policy with a retention limit and nothing else is far from the top bands.
    thin = audit_text(SourceText(name="thin.txt", media_type="text/plain", sha256="0" * 64,
                                 text="ALPR data shall be purged after 30 days.\n"), rubric)
    assert thin.overall.grade == "F"


def test_grade_meanings_must_name_known_grades(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    (folder / "criteria").mkdir(parents=True)
    src = rubric_root() / "criteria" / "retention.toml"
    (folder / "criteria" / "retention.toml").write_text(src.read_text(encoding="utf-8"),
                                                         encoding="utf-8")
    (folder / "rubric.toml").write_text(
        'id = "r"\nversion = "1.0"\ntitle = "R"\n[grades]\nA = 80\nF = 0\n'
        '[grade_meanings]\nA = "Good enough."\nE = "Unknown letter."\n', encoding="utf-8")
    with pytest.raises(RubricError, match="grade_meanings names grade 'E'"):
        load_rubric(folder)
    (folder / "rubric.toml").write_text(
        'id = "r"\nversion = "1.0"\ntitle = "R"\n[grades]\nA = 80\nF = 0\n', encoding="utf-8")
    assert load_rubric(folder).grade_meaning("F") == "An overall score of 0 below 80."
