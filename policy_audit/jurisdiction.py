"""State law as data: what a state's statutes require of an ALPR policy, checked on top of
the rubric and reported separately as legal findings.

Each state is one TOML file in ``rubric/jurisdictions/`` (``ca.toml``): its name, the
statutes with their effective dates and sources, and a list of requirements. A requirement
is checked one of three ways:

- ``retention_max_days``: the policy's ``retention_days`` must not exceed the cap (a policy
  with no maximum violates a numeric cap);
- ``violated_by`` / ``satisfied_by``: finding cues (``sharing.network``,
  ``reporting.policy_published``, ``element.case_number`` …) whose presence breaks or meets
  the requirement, quoted as evidence;
- ``min_level``: a rubric criterion must reach at least a level.

A requirement whose source is not verified (``verified = false``) says so in its finding,
so an unconfirmed fact is never presented as settled law.
"""

from __future__ import annotations

import functools
import tomllib
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import PolicyAuditError, RubricError
from .models import LEVEL_RANK, Evidence, Finding, LegalFinding, Level, Scorecard
from .rubric import IDENT, rubric_root


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

    @model_validator(mode="after")
    def _has_a_check(self) -> Requirement:
        if (
            self.retention_max_days is None
            and not self.violated_by
            and not self.satisfied_by
            and self.min_level is None
        ):
            raise ValueError(
                f"requirement {self.id!r} checks nothing: give retention_max_days, "
                "violated_by/satisfied_by cues, or min_level"
            )
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
    examples: list[LegalExample] = Field(default_factory=list)

    @model_validator(mode="after")
    def _examples_name_requirements(self) -> Jurisdiction:
        ids = {r.id for r in self.requirements}
        for example in self.examples:
            if example.requirement not in ids:
                raise ValueError(f"example names unknown requirement {example.requirement!r}")
        return self


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
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        jurisdiction = Jurisdiction.model_validate(data)
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RubricError(f"{path}: {exc}".splitlines()[0]) from None
    if jurisdiction.id != key:
        raise RubricError(f"{path}: id {jurisdiction.id!r} must match the file name {key!r}")
    return jurisdiction


def check(
    jurisdiction: Jurisdiction, card: Scorecard, findings: list[Finding]
) -> list[LegalFinding]:
    return [_check(jurisdiction, r, card, findings) for r in jurisdiction.requirements]


def _evidence(finding: Finding) -> Evidence:
    return Evidence(text=finding.text, start=finding.start, end=finding.end, page=finding.page,
                    section=finding.section, rule=next(iter(finding.cues), None))


def _check(
    jurisdiction: Jurisdiction, req: Requirement, card: Scorecard, findings: list[Finding]
) -> LegalFinding:
    def result(status: str, message: str, evidence: list[Evidence] | None = None) -> LegalFinding:
        caveat = "" if req.verified else " (this requirement is not verified against the " \
            "statute's text: check it before relying on it)"
        return LegalFinding(
            jurisdiction=jurisdiction.id.upper(), requirement=req.id, statute=req.statute,
            status=status, message=message + caveat, evidence=evidence or [],  # type: ignore[arg-type]
            verified=req.verified, effective=req.effective,
        )

    violations = [f for f in findings if set(req.violated_by) & set(f.cues)]
    if violations:
        return result("violates", f"violates {req.statute}: {req.summary} The policy says "
                      f"otherwise: “{_short(violations[0].text)}”",
                      [_evidence(f) for f in violations[:3]])
    if req.retention_max_days is not None:
        days = card.facts.retention_days
        retention = card.criterion("retention") if _has(card, "retention") else None
        quotes = retention.evidence[:2] if retention else []
        if days is None:
            status = "violates" if quotes else "not_addressed"
            said = "sets no maximum" if quotes else "does not say how long non-hit data is kept"
            return result(status, f"{'violates' if quotes else 'not addressed:'} {req.statute}: "
                          f"the policy {said}; the cap is {req.retention_max_days} days.", quotes)
        if days > req.retention_max_days:
            return result("violates", f"violates {req.statute}: non-hit data kept {days} days, "
                          f"the cap is {req.retention_max_days}.", quotes)
        return result("complies", f"complies with {req.statute}: non-hit data kept {days} "
                      f"days, within the {req.retention_max_days}-day cap.", quotes)
    if req.min_level is not None:
        criterion_id, wanted = req.min_level
        if not _has(card, criterion_id):
            return result("not_addressed", f"{req.statute}: criterion {criterion_id!r} is not in "
                          "this rubric, so this requirement was not checked.")
        got = card.criterion(criterion_id)
        if got.level is not Level.MISSING and LEVEL_RANK[got.level] >= LEVEL_RANK[wanted]:
            return result("complies", f"complies with {req.statute}: {req.summary}",
                          got.evidence[:2])
        status = "not_addressed" if got.level is Level.MISSING else "violates"
        lead = "not addressed:" if status == "not_addressed" else "violates"
        return result(status, f"{lead} {req.statute}: {req.summary} (the policy is "
                      f"{got.level.value} on {got.title.lower()})", got.evidence[:2])
    satisfied = [f for f in findings if set(req.satisfied_by) & set(f.cues)]
    if satisfied:
        return result("complies", f"complies with {req.statute}: {req.summary}",
                      [_evidence(f) for f in satisfied[:2]])
    if req.must_state:
        return result("violates", f"violates {req.statute}: {req.summary} The policy does not "
                      "say so.")
    return result("not_addressed", f"not addressed: {req.statute}: {req.summary} The policy "
                  "does not say so.")


def _has(card: Scorecard, criterion_id: str) -> bool:
    return any(c.id == criterion_id for c in card.criteria)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
