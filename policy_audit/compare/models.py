"""The ``Comparison`` JSON contract: what changed between versions of a policy.

Like the scorecard, these names are public (README, "Comparing drafts"; the JSON Schema is
``schema/comparison-1.0.schema.json``): rename nothing without bumping
``COMPARISON_SCHEMA_VERSION``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..models import Evidence, Level, Overall, RubricRef

COMPARISON_SCHEMA_VERSION = "1.0"

Change = Literal["improved", "regressed", "unchanged"]


class VersionInfo(BaseModel):
    """One input, in the order given (index 0 is the oldest or the baseline)."""

    index: int = Field(ge=0)
    name: str
    sha256: str
    media_type: str
    overall: Overall
    retention_days: int | None = None
    audit_id: str | None = None  # the saved audit it came from (API), if any


class CriterionAtVersion(BaseModel):
    """A criterion's reading in one version, with the quote that decided it."""

    level: Level
    score: float
    quote: Evidence | None = None  # the first evidence of the scorecard: what decided


class CriterionStep(BaseModel):
    """How a criterion moved between two consecutive versions."""

    from_version: int
    to_version: int
    change: Change
    # Same level, but the deciding words are not the same: worth a look.
    wording_changed: bool = False
    # Sections whose edits touch a clause this criterion's evidence relied on.
    touched_by: list[str] = Field(default_factory=list)


class CriterionDelta(BaseModel):
    id: str
    title: str
    weight: float
    versions: list[CriterionAtVersion]
    steps: list[CriterionStep]
    change: Change  # first version to last


class OverallDelta(BaseModel):
    scores: list[float]
    grades: list[str]
    delta: float  # last minus first, in points
    change: Change


class SectionRef(BaseModel):
    """A section of one version: its number as printed, title, and where it is."""

    number: str | None = None
    title: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = None


class DiffRun(BaseModel):
    """A run of words that are the same on both sides, or only in the old or new text."""

    op: Literal["equal", "insert", "delete"]
    text: str


class SectionChange(BaseModel):
    """One section of the redline. ``old`` is None for an inserted section, ``new`` for a
    deleted one. Unchanged sections carry no ``diff`` (the renderers collapse them)."""

    status: Literal["unchanged", "changed", "inserted", "deleted"]
    moved: bool = False  # matched out of order: the section was moved
    renumbered: bool = False  # matched, but its printed number differs
    similarity: float | None = None  # 0-100, for matched sections
    old: SectionRef | None = None
    new: SectionRef | None = None
    diff: list[DiffRun] = Field(default_factory=list)
    # Criteria whose deciding evidence lies in the words this change touched.
    affects: list[str] = Field(default_factory=list)


class ConflictRef(BaseModel):
    criterion: str
    description: str
    weaker: str  # the words of the weaker clause


class LoopholeRef(BaseModel):
    id: str
    title: str
    criterion: str
    quote: str | None = None


class LegalChange(BaseModel):
    requirement: str
    statute: str
    before: Literal["violates", "complies", "not_addressed"] | None
    after: Literal["violates", "complies", "not_addressed"] | None
    message: str


class Step(BaseModel):
    """Everything that changed from one version to the next."""

    from_version: int
    to_version: int
    overall_delta: float
    retention_days: tuple[int | None, int | None]
    conflicts_new: list[ConflictRef] = Field(default_factory=list)
    conflicts_resolved: list[ConflictRef] = Field(default_factory=list)
    loopholes_new: list[LoopholeRef] = Field(default_factory=list)
    loopholes_resolved: list[LoopholeRef] = Field(default_factory=list)
    legal_changes: list[LegalChange] = Field(default_factory=list)
    sections: list[SectionChange] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)  # changed, inserted, ..., unchanged


class ModelGap(BaseModel):
    """A criterion below strong next to the rubric's model language: what it would take."""

    id: str
    title: str
    level: Level
    quote: Evidence | None = None
    model_language: str
    # Word diff from the deciding quote to the model language (all insert when missing).
    diff: list[DiffRun] = Field(default_factory=list)


class Comparison(BaseModel):
    schema_version: str = COMPARISON_SCHEMA_VERSION
    kind: Literal["versions", "model"]
    # "previous": each step compares a version with the one before it (drafts in order);
    # "first": with the first version (current law against competing bills).
    steps_from: Literal["previous", "first"] = "previous"
    rubric: RubricRef
    jurisdiction: str | None = None
    versions: list[VersionInfo]
    criteria: list[CriterionDelta]
    overall: OverallDelta
    retention_days: list[int | None]
    steps: list[Step] = Field(default_factory=list)
    model: list[ModelGap] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Anything at all differs (a criterion, the score, or a section's words)."""
        return any(
            c.change != "unchanged" or any(s.wording_changed for s in c.steps)
            for c in self.criteria
        ) or any(
            section.status != "unchanged" or section.moved
            for step in self.steps for section in step.sections
        )
