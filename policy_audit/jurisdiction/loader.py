"""Loading a state file: its structure, and every name it uses (cues, recipient kinds,
criteria) checked against what exists, so a misspelt name is an error, not a silent miss."""

from __future__ import annotations

import difflib
import functools
import tomllib
from pathlib import Path

from pydantic import ValidationError

from ..cues import DETECTOR_CUES, ELEMENT_SUFFIXES, RECIPIENT_KINDS
from ..errors import RubricError
from ..loopholes import library as loophole_library
from ..rubric import list_rubrics, rubric_root
from .models import Jurisdiction, UnknownJurisdictionError


def available() -> list[str]:
    return sorted(p.stem for p in (rubric_root() / "jurisdictions").glob("*.toml"))


@functools.cache
def load_jurisdiction(code: str) -> Jurisdiction:
    key = code.strip().lower()
    path = rubric_root() / "jurisdictions" / f"{key}.toml"
    if not key.isalpha() or not path.is_file():
        known = ", ".join(c.upper() for c in available())
        raise UnknownJurisdictionError(
            f"{code}: no state-law checks for this jurisdiction; available: {known}"
        )
    return load_jurisdiction_file(path)


def load_jurisdiction_file(path: Path) -> Jurisdiction:
    """A state file, validated: its structure, and every name it uses (cues, kinds,
    criteria). The file name is the state's code."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        jurisdiction = Jurisdiction.model_validate(data)
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RubricError(f"{path}: {exc}".splitlines()[0]) from None
    if jurisdiction.id != path.stem:
        raise RubricError(
            f"{path}: id {jurisdiction.id!r} must match the file name {path.stem!r}")
    _check_names(jurisdiction, path)
    return jurisdiction


@functools.cache
def cue_vocabulary() -> dict[str, str]:
    """Every cue a state file may name (its own ``[[cues]]`` aside), with its meaning."""
    vocabulary = dict(DETECTOR_CUES)
    for rubric in list_rubrics():
        for criterion in rubric.criteria:
            for element in criterion.detect.elements if criterion.detect else []:
                for suffix in ELEMENT_SUFFIXES:
                    vocabulary[f"element.{element.id}{suffix}"] = (
                        f"{criterion.id}: {element.label}{suffix and f' ({suffix[1:]})'}")
            for loophole in criterion.detect.loopholes if criterion.detect else []:
                vocabulary[f"loophole.{loophole.id}"] = f"{criterion.id} loophole: {loophole.label}"
    for named, _ in loophole_library():
        vocabulary[f"loophole.{named.id}"] = f"loophole: {named.title}"
    return vocabulary


def _check_names(jurisdiction: Jurisdiction, path: Path) -> None:
    """Every cue, recipient kind and criterion a state names must exist: a misspelt name
    would otherwise load and silently never match."""
    own = {cue.id for cue in jurisdiction.cues}
    criteria = {c.id for rubric in list_rubrics() for c in rubric.criteria}
    for requirement in jurisdiction.requirements:
        where = f"{path}: requirement {requirement.id!r}"
        specs = [*requirement.violated_by, *requirement.satisfied_by,
                 *requirement.falls_short_by, *requirement.reasons]
        for spec in specs:
            cue, _, wanted = spec.partition("[")
            if cue not in own and cue not in cue_vocabulary():
                close = difflib.get_close_matches(cue, [*cue_vocabulary(), *own], n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise RubricError(f"{where}: unknown cue {cue!r}{hint} (list them with "
                                  "`policy-audit rubric --cues`)")
            for kind in filter(None, wanted.rstrip("]").split("+")):
                if kind not in RECIPIENT_KINDS:
                    known = ", ".join(RECIPIENT_KINDS)
                    raise RubricError(f"{where}: unknown recipient kind {kind!r} in {spec!r}; "
                                      f"use one of: {known}")
        if requirement.min_level is not None and requirement.min_level[0] not in criteria:
            raise RubricError(f"{where}: min_level names unknown criterion "
                              f"{requirement.min_level[0]!r}")


