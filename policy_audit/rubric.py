"""Rubrics as data: a folder with ``rubric.toml`` and one TOML file per criterion.

``rubric.toml`` names the rubric (id, version, title), lists its criteria (or takes every
file in its criteria folder) and sets the grade bands. Each criterion file says what the
criterion asks, what every level means and scores, why it matters (with citations), and the
model language that would reach ``strong``. Everything is validated when loaded; a mistake
raises ``RubricError`` naming the file and the fix.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .defaults import BUILTIN_RUBRICS as BUILTIN_RUBRICS
from .defaults import DEFAULT_RUBRIC as DEFAULT_RUBRIC
from .errors import RubricError
from .first_char import guarded
from .models import Level
from .prefilter import Prefiltered
from .registry import scorer_names

IDENT = r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Strict):
    title: str = Field(min_length=3)
    source: str = Field(
        min_length=2, description="Who says it: a statute, a model policy, a report."
    )
    url: str | None = None
    note: str | None = None


class LevelSpec(_Strict):
    meaning: str = Field(min_length=3)
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    recommendation: str | None = Field(
        default=None, description="What to change, from this level, to reach strong."
    )
    max_days: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Scorer 'retention': the longest mandatory retention period, "
        "in days, that still earns this level (strong and partial set one).",
    )


class Example(_Strict):
    """An annotated case: this text must earn this level (tested)."""

    text: str = Field(min_length=3)
    level: Level
    retention_days: int | None = None
    note: str | None = None


@functools.lru_cache(maxsize=1024)
def compiled(pattern: str) -> Prefiltered:
    """A rubric pattern, compiled once; rubric patterns match case-insensitively, and are
    run only on texts that hold a word every match needs (``policy_audit.prefilter``)."""
    return Prefiltered(re.compile(guarded(pattern, re.IGNORECASE), re.IGNORECASE))


class NearMiss(_Strict):
    """Wording close to a level that must score below it (tested), so a loosened pattern
    that starts rewarding it fails the build."""

    text: str = Field(min_length=3)
    below: Level = Level.STRONG
    why: str = Field(min_length=10, description="What keeps it below the level.")


def _compiles(pattern: str) -> str:
    try:
        # Compiled as it will be used (and cached): loading the rubric, which a worker's
        # warm-up does, pays for compiling its ~200 patterns, not the first audit.
        compiled(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc}); fix the pattern") from None
    return pattern


Pattern = Annotated[str, Field(min_length=2), AfterValidator(_compiles)]


class ElementSpec(_Strict):
    """One thing a strong policy says, found by a pattern in a clause about the criterion."""

    id: Annotated[str, Field(pattern=IDENT)]
    label: str = Field(min_length=3, description="What the element is, in a few words.")
    pattern: Pattern
    require: Literal["firm", "ban", "any"] = Field(
        default="firm",
        description="firm: in a shall/must/is clause; ban: in a prohibition; any: mentioned.",
    )


class LoopholeSpec(_Strict):
    """Wording that undoes the criterion ("as needed"), quoted as evidence."""

    id: Annotated[str, Field(pattern=IDENT)]
    label: str = Field(min_length=3)
    pattern: Pattern
    why: str = Field(min_length=10)
    scope: Literal["criterion", "clause"] = Field(
        default="criterion",
        description="criterion: the loophole caps the whole criterion at weak (logs purged "
        "after a month undo every logging rule). clause: it undoes only the elements of its "
        "own clause (a ban on watching protests 'for the sole purpose of' monitoring them); "
        "elements stated firmly elsewhere still earn partial, never strong.",
    )


class DetectSpec(_Strict):
    """How the generic ``elements`` scorer finds this criterion's clauses."""

    triggers: list[str] = Field(
        min_length=1, description="Words or phrases marking a sentence (or its heading) as "
        "about this criterion; matched case-insensitively."
    )
    about: Pattern | None = Field(
        default=None, description="A pattern a triggered sentence must also match to count."
    )
    elements: list[ElementSpec] = Field(min_length=1)
    loopholes: list[LoopholeSpec] = Field(default_factory=list)
    partial_min: Annotated[int, Field(ge=1)] = Field(
        default=1, description="Elements needed (firmly) for partial."
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> DetectSpec:
        ids = [e.id for e in self.elements] + [lh.id for lh in self.loopholes]
        twice = {i for i in ids if ids.count(i) > 1}
        if twice:
            raise ValueError(f"element/loophole id {sorted(twice)[0]!r} is used twice")
        if self.partial_min > len(self.elements):
            raise ValueError("partial_min is larger than the number of elements")
        return self


class Criterion(_Strict):
    id: Annotated[str, Field(pattern=IDENT)]
    title: str = Field(min_length=3)
    question: str = Field(min_length=3)
    weight: Annotated[float, Field(gt=0.0, le=100.0)]
    scorer: str = Field(description="Name of the built-in scorer that reads the findings.")
    why: str = Field(min_length=10)
    model_language: str = Field(min_length=10)
    levels: dict[Level, LevelSpec]
    citations: list[Citation] = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)
    near_misses: list[NearMiss] = Field(default_factory=list)
    core: bool = False
    detect: DetectSpec | None = None

    @model_validator(mode="after")
    def _detect_for_elements(self) -> Criterion:
        if self.scorer == "elements" and self.detect is None:
            raise ValueError("scorer 'elements' needs a [detect] table with triggers and elements")
        if self.scorer != "elements" and self.detect is not None:
            raise ValueError("a [detect] table is only read by scorer 'elements'; remove it")
        return self

    @model_validator(mode="after")
    def _examples_for_every_level(self) -> Criterion:
        """A criterion is checked like code: an example that must earn each level, and a
        near miss that must stay below strong (tests score them all)."""
        shown = {example.level for example in self.examples}
        absent = [level.value for level in Level if level not in shown]
        if absent:
            raise ValueError(f"add an [[examples]] entry with level = {absent[0]!r}: every "
                             "level needs an example text that must earn it")
        if not any(miss.below is Level.STRONG for miss in self.near_misses):
            raise ValueError('add a [[near_misses]] entry (text, below = "strong", why): '
                             "wording close to strong that must not reach it")
        return self

    @model_validator(mode="after")
    def _retention_bands(self) -> Criterion:
        banded = {level: spec.max_days for level, spec in self.levels.items()
                  if spec.max_days is not None}
        if self.scorer != "retention":
            if banded:
                raise ValueError("max_days is only read by scorer 'retention'; remove it")
            return self
        strong, partial = banded.get(Level.STRONG), banded.get(Level.PARTIAL)
        if strong is None or partial is None or set(banded) != {Level.STRONG, Level.PARTIAL}:
            raise ValueError("scorer 'retention' needs max_days in [levels.strong] and "
                             "[levels.partial] (and nowhere else): the retention bands")
        if strong >= partial:
            raise ValueError("levels.strong.max_days must be smaller than "
                             "levels.partial.max_days")
        return self

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, levels: dict[Level, LevelSpec]) -> dict[Level, LevelSpec]:
        absent = [lvl.value for lvl in Level if lvl not in levels]
        if absent:
            raise ValueError(f"add a [levels.{absent[0]}] table (every level needs one)")
        return levels

    def score_for(self, level: Level) -> float:
        return self.levels[level].score


class Rubric(_Strict):
    id: Annotated[str, Field(pattern=IDENT)]
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    title: str
    description: str = ""
    grades: dict[str, Annotated[float, Field(ge=0, le=100)]] = Field(
        default_factory=lambda: {"A": 90.0, "B": 80.0, "C": 70.0, "D": 60.0, "F": 0.0}
    )
    grade_meanings: dict[str, Annotated[str, Field(min_length=3)]] = Field(
        default_factory=dict,
        description="What each grade tells a reader, in a sentence (shown next to the grade).",
    )
    criteria: tuple[Criterion, ...]
    digest: str = Field(
        default="", description="sha256 of the rubric's files (manifest, criteria, loopholes): "
        "its identity. A saved audit scored under another digest is re-scored.")

    @model_validator(mode="after")
    def _unique_and_graded(self) -> Rubric:
        seen: set[str] = set()
        for criterion in self.criteria:
            if criterion.id in seen:
                raise ValueError(f"criterion id {criterion.id!r} appears twice: ids must be unique")
            seen.add(criterion.id)
        owner: dict[str, str] = {}
        for criterion in self.criteria:
            for element in criterion.detect.elements if criterion.detect else []:
                if element.id in owner:
                    raise ValueError(
                        f"element id {element.id!r} is used by both {owner[element.id]!r} and "
                        f"{criterion.id!r}: element ids name cues and must be unique in a rubric")
                owner[element.id] = criterion.id
        if 0.0 not in self.grades.values():
            raise ValueError("grades need a band starting at 0 (e.g. F = 0)")
        unknown = sorted(set(self.grade_meanings) - set(self.grades))
        if unknown:
            raise ValueError(f"grade_meanings names grade {unknown[0]!r}, which is not in "
                             "[grades]; use the same letters")
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def grade(self, score: float) -> str:
        bands = sorted(self.grades.items(), key=lambda item: item[1], reverse=True)
        return next(letter for letter, floor in bands if score >= floor)

    def grade_meaning(self, grade: str) -> str:
        """The grade in words: the rubric's own sentence, else its score range."""
        if grade in self.grade_meanings:
            return self.grade_meanings[grade]
        floor = self.grades.get(grade)
        if floor is None:
            return ""
        above = sorted(f for f in self.grades.values() if f > floor)
        top = f"below {above[0]:g}" if above else "up to 100"
        return f"An overall score of {floor:g} {top}."


class _Manifest(_Strict):
    id: Annotated[str, Field(pattern=IDENT)]
    version: str
    title: str
    description: str = ""
    criteria_dir: str = "criteria"
    criteria: list[str] | None = None
    grades: dict[str, float] | None = None
    grade_meanings: dict[str, str] | None = None


def written_language(rubric: Rubric) -> str:
    """The policy language a rubric carries: its model language, examples and near misses
    (what policies say, to warm a worker's tokenizer with)."""
    parts = [text for criterion in rubric.criteria for text in (
        criterion.model_language, *(e.text for e in criterion.examples),
        *(m.text for m in criterion.near_misses))]  # fmt: skip
    return "\n".join(parts)


def rubric_root() -> Path:
    """Where the shipped rubrics live: inside the wheel, or beside the source tree."""
    installed = Path(__file__).resolve().parent / "_rubric"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "rubric"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RubricError(f"{path}: file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RubricError(f"{path}: not valid TOML ({exc}); fix the syntax") from exc


def _explain(path: Path, exc: ValidationError) -> RubricError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        fix = f"unknown field {where!r}: remove it or check its spelling"
    elif first["type"] == "missing":
        fix = f"missing field {where!r}: add it"
    else:
        fix = f"field {where!r}: {first['msg']}"
    more = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
    return RubricError(f"{path}: {fix}{more}")


def load_criterion(path: Path) -> Criterion:
    data = _read_toml(path)
    try:
        criterion = Criterion.model_validate(data)
    except ValidationError as exc:
        raise _explain(path, exc) from None
    if criterion.id != path.stem:
        raise RubricError(f"{path}: id {criterion.id!r} must match the file name {path.stem!r}")
    known_scorers = scorer_names()
    if criterion.scorer not in known_scorers:
        known = ", ".join(known_scorers)
        raise RubricError(f"{path}: unknown scorer {criterion.scorer!r}; use one of: {known}")
    return criterion


def files_digest(paths: list[Path]) -> str:
    """One hash over the files that decide a scorecard, in order (a missing file counts as
    empty), so any edit to any of them changes the rubric's identity."""
    digest = hashlib.sha256()
    for path in paths:
        data = path.read_bytes() if path.is_file() else b""
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def load_rubric_dir(folder: Path) -> Rubric:
    folder = Path(folder)
    manifest_path = folder / "rubric.toml"
    if not manifest_path.is_file():
        raise RubricError(f"{folder}: no rubric.toml here; a rubric folder needs one")
    try:
        manifest = _Manifest.model_validate(_read_toml(manifest_path))
    except ValidationError as exc:
        raise _explain(manifest_path, exc) from None
    criteria_dir = (folder / manifest.criteria_dir).resolve()
    if not criteria_dir.is_dir():
        raise RubricError(
            f"{manifest_path}: criteria_dir {manifest.criteria_dir!r} is not a folder"
        )
    available = {path.stem: path for path in sorted(criteria_dir.glob("*.toml"))}
    wanted = manifest.criteria if manifest.criteria is not None else list(available)
    duplicates = {cid for cid in wanted if wanted.count(cid) > 1}
    if duplicates:
        raise RubricError(f"{manifest_path}: criterion {sorted(duplicates)[0]!r} is listed twice")
    missing = [cid for cid in wanted if cid not in available]
    if missing:
        raise RubricError(
            f"{manifest_path}: criterion {missing[0]!r} is listed but {criteria_dir}/"
            f"{missing[0]}.toml does not exist"
        )
    criteria = tuple(load_criterion(available[cid]) for cid in wanted)
    fields = manifest.model_dump(exclude={"criteria_dir", "criteria", "grades",
                                          "grade_meanings"})
    fields["digest"] = files_digest(
        [manifest_path, *(available[cid] for cid in wanted), rubric_root() / "loopholes.toml"])
    if manifest.grades is not None:
        fields["grades"] = manifest.grades
    if manifest.grade_meanings is not None:
        fields["grade_meanings"] = manifest.grade_meanings
    try:
        return Rubric.model_validate({**fields, "criteria": criteria})
    except ValidationError as exc:
        raise _explain(manifest_path, exc) from None


@functools.cache
def _builtin(name: str) -> Rubric:
    return load_rubric_dir(rubric_root() / name)


def load_rubric(rubric: str | Path | Rubric | None = None) -> Rubric:
    """A shipped rubric by name (``core``, ``comprehensive``), or a rubric folder by path."""
    if isinstance(rubric, Rubric):
        return rubric
    if rubric is None:
        rubric = DEFAULT_RUBRIC
    if isinstance(rubric, str) and (rubric_root() / rubric / "rubric.toml").is_file():
        return _builtin(rubric)
    path = Path(rubric)
    if path.is_dir():
        return load_rubric_dir(path)
    shipped = ", ".join(name for name in BUILTIN_RUBRICS if (rubric_root() / name).is_dir())
    raise RubricError(
        f"{rubric}: no such rubric; name a shipped one ({shipped}) or a rubric folder"
    )


def list_rubrics() -> list[Rubric]:
    root = rubric_root()
    return [_builtin(p.parent.name) for p in sorted(root.glob("*/rubric.toml"))]
