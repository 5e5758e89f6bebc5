"""Names in rubric data are checked like code: a misspelt cue, an unknown recipient kind or
a duplicated element id is an error at load, and the cue table cannot fall behind the
detectors."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from policy_audit.cli import main
from policy_audit.cues import DETECTOR_CUES, RECIPIENT_KINDS
from policy_audit.detect import detect
from policy_audit.errors import RubricError
from policy_audit.ingest import read_document, source_from_text
from policy_audit.jurisdiction import (
    available,
    cue_vocabulary,
    load_jurisdiction,
    load_jurisdiction_file,
)
from policy_audit.rubric import load_rubric, load_rubric_dir, rubric_root
from policy_audit.segment import get_nlp

ROOT = Path(__file__).parent.parent
DETECT = ROOT / "policy_audit" / "detect"
# A cue is a topic, a dot and snake_case words; rule ids use hyphens and are not cues.
CUE_LITERAL = re.compile(r"[\"']((?:retention|sharing|immigration|reporting|scope)\.[a-z_]+)[\"']")
SCOPE_VALUES = re.compile(r"(?:return|else)\s+\"(nonhit|hit|other|general|residual)\"")


def _literals() -> set[str]:
    found: set[str] = set()
    for path in DETECT.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found |= set(CUE_LITERAL.findall(source))
        found |= {f"scope.{value}" for value in SCOPE_VALUES.findall(source)}
    return found


def test_every_cue_written_in_the_detectors_is_in_the_table() -> None:
    assert _literals() - set(DETECTOR_CUES) == set()


def test_every_cue_in_the_table_is_written_by_some_detector() -> None:
    dead = set(DETECTOR_CUES) - _literals() - {"addressed"}
    assert dead == set(), "remove cues no detector emits"


def _texts() -> list[str]:
    texts = [read_document(p).text for p in (ROOT / "sample_policies").glob("*.*")
             if p.suffix in {".txt", ".md", ".html", ".docx", ".pdf"} and p.name != "README.md"]
    cases = tomllib.loads((ROOT / "tests/cases/criteria.toml").read_text(encoding="utf-8"))
    texts += [c["text"] for value in cases.values() if isinstance(value, list)
              for c in value if isinstance(c, dict) and "text" in c]
    texts += [e.text for c in load_rubric().criteria for e in c.examples]
    texts += [e.text for code in available() for e in load_jurisdiction(code).examples]
    return texts


def test_every_cue_the_engine_emits_on_samples_and_cases_is_known() -> None:
    nlp, rubric, vocabulary = get_nlp(), load_rubric(), cue_vocabulary()
    emitted = {cue for text in _texts()
               for finding in detect(nlp(text), source_from_text(text), rubric)
               for cue in finding.cues if ".via-" not in cue}
    assert len(emitted) > 60
    assert emitted - set(vocabulary) == set()


def _state_with(tmp_path: Path, old: str, new: str) -> Path:
    source = (rubric_root() / "jurisdictions" / "va.toml").read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "va.toml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_misspelt_cue_in_a_state_file_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = _state_with(tmp_path, '"sharing.network"', '"sharing.netwrok"')
    with pytest.raises(RubricError, match=r"unknown cue 'sharing.netwrok'; did you mean "
                       r"'sharing.network'\?"):
        load_jurisdiction_file(path)


def test_an_unknown_recipient_kind_is_refused(tmp_path: Path) -> None:
    source = (rubric_root() / "jurisdictions" / "va.toml").read_text(encoding="utf-8")
    cue = re.search(r"\"([a-z_.]+)\[([a-z_+]+)\]\"", source)
    assert cue is not None, "va.toml names a cue with recipient kinds"
    path = _state_with(tmp_path, cue.group(0), f'"{cue.group(1)}[feds]"')
    with pytest.raises(RubricError, match="unknown recipient kind 'feds'"):
        load_jurisdiction_file(path)


def test_every_shipped_state_uses_only_known_names() -> None:
    for code in available():
        load_jurisdiction_file(rubric_root() / "jurisdictions" / f"{code}.toml")


def test_an_element_id_used_by_two_criteria_is_refused(tmp_path: Path) -> None:
    criteria = tmp_path / "criteria"
    criteria.mkdir()
    for name in ("audits", "audit_trail"):
        shutil.copy(rubric_root() / "criteria" / f"{name}.toml", criteria)
    first = load_rubric("comprehensive").criterion("audits").detect
    assert first is not None
    taken = first.elements[0].id
    trail = criteria / "audit_trail.toml"
    other = load_rubric("comprehensive").criterion("audit_trail").detect
    assert other is not None
    text = trail.read_text(encoding="utf-8")
    trail.write_text(text.replace(f'id = "{other.elements[0].id}"', f'id = "{taken}"', 1),
                     encoding="utf-8")
    (tmp_path / "rubric.toml").write_text(
        'id = "twins"\nversion = "1.0"\ntitle = "Twins"\n', encoding="utf-8")
    with pytest.raises(RubricError, match=f"element id '{taken}' is used by both 'audit_trail' "
                       "and 'audits'"):
        load_rubric_dir(tmp_path)


def test_the_cli_lists_cues_and_recipient_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubric", "--cues", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["cues"]["sharing.network"] == DETECTOR_CUES["sharing.network"]
    assert "element.case_number" not in listed["cues"] or listed["cues"]["element.case_number"]
    assert set(listed["recipient_kinds"]) == set(RECIPIENT_KINDS)
    assert main(["rubric", "--cues"]) == 0
    assert "sharing.recipient_restriction" in capsys.readouterr().out


def test_recipient_kinds_match_the_detector() -> None:
    from policy_audit.detect.recipients import RECIPIENT_PATTERNS

    assert set(RECIPIENT_KINDS) == {*RECIPIENT_PATTERNS, "other_state"}


def test_an_element_duplicating_another_criterion_is_warned_about(tmp_path: Path) -> None:
    from policy_audit.rubric_check import overlaps

    criteria = tmp_path / "criteria"
    criteria.mkdir()
    for name in ("audits", "audit_trail"):
        shutil.copy(rubric_root() / "criteria" / f"{name}.toml", criteria)
    (tmp_path / "rubric.toml").write_text(
        'id = "twins"\nversion = "1.0"\ntitle = "Twins"\n', encoding="utf-8")
    before = overlaps(load_rubric_dir(tmp_path))
    audits = load_rubric("comprehensive").criterion("audits").detect
    trail = load_rubric("comprehensive").criterion("audit_trail").detect
    assert audits is not None and trail is not None
    path = criteria / "audit_trail.toml"
    text = path.read_text(encoding="utf-8")
    copied = text.replace(trail.elements[0].pattern, audits.elements[0].pattern, 1)
    assert copied != text
    path.write_text(copied, encoding="utf-8")
    after = overlaps(load_rubric_dir(tmp_path))
    pair = f"elements audit_trail.{trail.elements[0].id} and audits.{audits.elements[0].id}"
    assert not any(pair in warning for warning in before)
    assert any(pair in warning for warning in after), after
