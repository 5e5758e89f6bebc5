"""Shared helpers: read policy text the way the engine does, without touching files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from policy_audit.detect import detect
from policy_audit.models import ExtractionQuality, Finding, SourceText
from policy_audit.rubric import Rubric, load_rubric
from policy_audit.segment import make_doc


def source_of(text: str, name: str = "test-policy.txt") -> SourceText:
    return SourceText(
        name=name,
        media_type="text/plain",
        sha256="0" * 64,
        text=text,
        quality=ExtractionQuality(characters=len(text), words=len(text.split())),
    )


def findings_of(text: str) -> list[Finding]:
    source = source_of(text)
    return detect(make_doc(text), source)


@pytest.fixture
def read_findings():
    return findings_of


# The level block of a test criterion for the generic ``elements`` scorer.
ELEMENT_LEVELS = '''
[levels.strong]
meaning = "every element"
score = 1.0
[levels.partial]
meaning = "some elements"
score = 0.5
[levels.weak]
meaning = "soft or undercut"
score = 0.2
[levels.missing]
meaning = "not addressed"
score = 0.0
''' + '''
# Loading requires an example per level and a near miss; these test criteria are exercised
# by the tests that build them, so one neutral block satisfies the load check.
[[examples]]
text = "Every element is stated."
level = "strong"
[[examples]]
text = "Some elements are stated."
level = "partial"
[[examples]]
text = "Elements are only suggested."
level = "weak"
[[examples]]
text = "Nothing about the subject."
level = "missing"
[[near_misses]]
text = "Some elements are stated."
why = "Not every element is stated."
'''


def one_criterion_rubric(folder: Path, manifest: str, criterion: str) -> Rubric:
    """A custom rubric folder holding one criterion, loaded as users load theirs."""
    criterion_id = tomllib.loads(criterion)["id"]  # the file is named after its id
    (folder / "rubric.toml").write_text(manifest)
    (folder / "criteria").mkdir()
    (folder / "criteria" / f"{criterion_id}.toml").write_text(criterion)
    return load_rubric(folder)
