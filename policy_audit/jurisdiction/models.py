"""A state's ALPR law as data: statutes, requirements, its own text cues and examples."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import PolicyAuditError
from ..models import Level
from ..rubric import IDENT

_CUE_SPEC = re.compile(r"^[a-z_]++(?:\.[a-z_]++)++(?:\[[a-z_]++(?:\+[a-z_]++)*+\])?$")


class UnknownJurisdictionError(PolicyAuditError):
    exit_code = 2
    http_status = 422
    code = "unknown-jurisdiction"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=3)
    url: str | None = None


class Requirement(_Strict):
    id: Annotated[str, Field(pattern=IDENT)]
    statute: str = Field(min_length=3, description="The section cited in the finding.")
    summary: str = Field(min_length=10, description="What the law requires, in a sentence.")
    effective: date | None = None
    verified: bool = True
    note: str | None = None
    retention_max_days: Annotated[int, Field(ge=0)] | None = None
    violated_by: list[str] = Field(default_factory=list)
    satisfied_by: list[str] = Field(default_factory=list)
    min_level: tuple[str, Level] | None = Field(
        default=None, description='["criterion id", "level"]: the criterion must reach it.'
    )
    must_state: bool = Field(
        default=False,
        description="The law requires the policy itself to say this: silence is a violation.",
    )
    falls_short_by: list[str] = Field(
        default_factory=list,
        description="Cues that fall short of the requirement unless a satisfied_by cue is present.",
    )
    reasons: dict[str, str] = Field(
        default_factory=dict,
        description="Per cue: why the quoted words break or fall short of the statute.",
    )
    unless_text: list[str] = Field(
        default_factory=list,
        description="Patterns: a violating clause matching one is a ban, not a permission.",
    )
    satisfied_by_fact: Literal["retention_days"] | None = Field(
        default=None, description="A scorecard fact whose presence meets the requirement."
    )

    @model_validator(mode="after")
    def _has_a_check(self) -> Requirement:
        if (
            self.retention_max_days is None
            and not self.violated_by
            and not self.satisfied_by
            and self.min_level is None
            and self.satisfied_by_fact is None
        ):
            raise ValueError(
                f"requirement {self.id!r} checks nothing: give retention_max_days, "
                "violated_by/satisfied_by cues, satisfied_by_fact or min_level"
            )
        for cue in [*self.violated_by, *self.satisfied_by, *self.falls_short_by, *self.reasons]:
            if not _CUE_SPEC.fullmatch(cue):
                raise ValueError(f"requirement {self.id!r}: malformed cue {cue!r}")
        for pattern in self.unless_text:
            re.compile(pattern)
        return self


class TextCue(_Strict):
    """A state's own cue: a pattern that marks wording the detectors do not."""

    id: Annotated[str, Field(pattern=r"^[a-z]{2}\.[a-z_]+$")]
    pattern: str = Field(min_length=3)

    @model_validator(mode="after")
    def _compiles(self) -> TextCue:
        re.compile(self.pattern)
        return self


class LegalExample(_Strict):
    """Policy text and the status it must get on one requirement (tested)."""

    text: str = Field(min_length=3)
    requirement: str
    status: Literal["violates", "complies", "not_addressed"]
    note: str | None = None


class Jurisdiction(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z]{2}$")]
    name: str
    summary: str = ""
    sources: list[Source] = Field(min_length=1)
    requirements: list[Requirement] = Field(min_length=1)
    cues: list[TextCue] = Field(default_factory=list)
    examples: list[LegalExample] = Field(default_factory=list)

    @model_validator(mode="after")
    def _examples_name_requirements(self) -> Jurisdiction:
        ids = {r.id for r in self.requirements}
        for example in self.examples:
            if example.requirement not in ids:
                raise ValueError(f"example names unknown requirement {example.requirement!r}")
        return self


