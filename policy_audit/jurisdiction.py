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

A cue may name the recipients its clause must mention, ``cue[kind+kind]``:
``sharing.recipient_restriction[federal+out_of_state]`` is a ban that covers both federal
and out-of-state agencies. Besides the detector's kinds (``federal``, ``out_of_state``,
``private`` …) there is ``other_state``: an agency of another state in a portal's list of
agencies granted access ("Acworth GA PD" on a California list). ``falls_short_by`` cues make
a policy fall short unless a ``satisfied_by`` cue is also present ("shared only with law
enforcement agencies" does not confine sharing to California public agencies), and
``reasons`` says, per cue, why the quoted words fall short of the statute. A violating
clause whose text matches one of ``unless_text`` is a prohibition, not a permission
("… to federal agencies for immigration enforcement is illegal"). A state may also define
its own text cues (``[[cues]]``: an id and a pattern) for wording the detectors do not mark.

A requirement whose source is not verified (``verified = false``) says so in its finding,
so an unconfirmed fact is never presented as settled law.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .cues import DETECTOR_CUES, ELEMENT_SUFFIXES, RECIPIENT_KINDS
from .errors import PolicyAuditError, RubricError
from .loopholes import library as loophole_library
from .models import LEVEL_RANK, Evidence, Finding, LegalFinding, Level, Scorecard
from .rubric import IDENT, list_rubrics, rubric_root
from .scoring import reading_of
from .states import STATE_NAMES


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
    for loophole, _ in loophole_library():
        vocabulary[f"loophole.{loophole.id}"] = f"loophole: {loophole.title}"
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


def check(
    jurisdiction: Jurisdiction,
    card: Scorecard,
    findings: list[Finding],
    text: str | None = None,
) -> list[LegalFinding]:
    """Check every requirement of a state. ``text``, the policy's whole text, lets the state's
    own ``[[cues]]`` find sentences no detector marked; without it they read the findings."""
    findings = [*_whole_lists(findings, text), *_text_cues(jurisdiction, findings, text)]
    return [_check(jurisdiction, r, card, findings) for r in jurisdiction.requirements]


MAX_QUOTE = 400


def _whole_lists(findings: list[Finding], text: str | None) -> list[Finding]:
    """A portal's list of agencies granted access, read to its end: the detector quotes only
    its start, and an out-of-state agency may be listed anywhere in it."""
    if text is None:
        return findings
    whole = []
    for finding in findings:
        if "sharing.grant_list" in finding.cues:
            end = text.find("\n\n", finding.end)
            end = len(text) if end < 0 else end
            finding = finding.model_copy(update={"text": text[finding.start : end], "end": end})
        whole.append(finding)
    return whole


_CUE_SPEC = re.compile(r"^[a-z_]++(?:\.[a-z_]++)++(?:\[[a-z_]++(?:\+[a-z_]++)*+\])?$")
_SENTENCE_RE = re.compile(r"[^\n.;]++(?:[.;]|$)", re.MULTILINE)



@functools.cache
def _state_re(code: str) -> re.Pattern[str]:
    name = STATE_NAMES.get(code.upper(), code)
    return re.compile(rf"(?<![A-Za-z]){code.upper()}(?![A-Za-z])|\b{re.escape(name)}\b")


@functools.cache
def _other_states_re(code: str) -> re.Pattern[str]:
    others = [c for c in STATE_NAMES if c != code.upper()]
    names = [re.escape(STATE_NAMES[c]) for c in others]
    # "West Virginia" must not read as "Virginia", nor "Arkansas City" … as a state of its own
    # when the home state's code is in the same entry (checked by the caller).
    return re.compile(rf"(?<![A-Za-z])(?:{'|'.join(others)})(?![A-Za-z])|\b(?:{'|'.join(names)})\b")


def _other_state_agencies(finding: Finding, home: str) -> list[str]:
    """The agencies of another state in a list of agencies granted access."""
    if "sharing.grant_list" not in finding.cues:
        return []
    listed = finding.text.split("\n", 1)[-1] if "\n" in finding.text else finding.text
    found = []
    for entry in listed.split(","):
        entry = " ".join(entry.split())
        if entry and not _state_re(home).search(entry) and _other_states_re(home).search(entry):
            found.append(entry.rstrip("…"))
    return found


def _kinds(finding: Finding, home: str) -> set[str]:
    kinds = {r.kind for r in finding.recipients}
    if _other_state_agencies(finding, home):
        kinds.add("other_state")
    return kinds


def _matches(spec: str, finding: Finding, home: str) -> bool:
    cue, _, wanted = spec.partition("[")
    if cue not in finding.cues:
        return False
    return not wanted or set(wanted.rstrip("]").split("+")) <= _kinds(finding, home)


def _having(
    specs: list[str], findings: list[Finding], home: str, unless: list[str] | None = None
) -> list[tuple[str, Finding]]:
    """(spec, finding) for each finding matching a spec, the specs' order first (the most
    telling cue leads), then the document's order."""
    found: list[tuple[str, Finding]] = []
    seen: set[tuple[int, int]] = set()
    for spec in specs:
        for finding in sorted(findings, key=lambda f: f.start):
            span = (finding.start, finding.end)
            if span in seen or not _matches(spec, finding, home):
                continue
            if any(re.search(p, finding.text, re.IGNORECASE) for p in unless or []):
                continue
            seen.add(span)
            found.append((spec, finding))
    return found


def _text_cues(
    jurisdiction: Jurisdiction, findings: list[Finding], text: str | None
) -> list[Finding]:
    if not jurisdiction.cues:
        return []
    if text is not None:
        spans = [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.group().strip()]
        pieces = [(text[a:b], a, b, None, None) for a, b in spans]
    else:
        unique = {(f.start, f.end): f for f in findings}
        pieces = [(f.text, f.start, f.end, f.page, f.section) for f in unique.values()]
    extra: list[Finding] = []
    for cue in jurisdiction.cues:
        pattern = re.compile(cue.pattern, re.IGNORECASE)
        for piece, start, _end, page, section in pieces:
            if pattern.search(piece):
                quote = piece.strip()
                offset = start + piece.index(quote) if quote else start
                extra.append(Finding(topic="jurisdiction", text=quote, start=offset,
                                     end=offset + len(quote), page=page, section=section,
                                     cues=[cue.id]))
    return extra


def _evidence(finding: Finding, spec: str | None = None) -> Evidence:
    rule = spec.partition("[")[0] if spec else next(iter(finding.cues), None)
    quote = finding.text[:MAX_QUOTE]  # still the document's words: a long list's start
    return Evidence(text=quote, start=finding.start, end=finding.start + len(quote),
                    page=finding.page, section=finding.section, rule=rule,
                    reading=reading_of(finding))


def _quote(spec: str, finding: Finding, home: str) -> str:
    if spec.startswith("sharing.grant_list") and "other_state" in spec:
        agencies = _other_state_agencies(finding, home)
        more = " and others" if len(agencies) > 4 else ""
        return f"The agencies it grants access include {', '.join(agencies[:4])}{more}"
    return f"The policy says “{_short(finding.text)}”"


def _check(
    jurisdiction: Jurisdiction, req: Requirement, card: Scorecard, findings: list[Finding]
) -> LegalFinding:
    home = jurisdiction.id

    def result(status: str, message: str, evidence: list[Evidence] | None = None) -> LegalFinding:
        caveat = "" if req.verified else " (this requirement is not verified against the " \
            "statute's text: check it before relying on it)"
        return LegalFinding(
            jurisdiction=jurisdiction.id.upper(), requirement=req.id, statute=req.statute,
            status=status, message=message + caveat, evidence=evidence or [],  # type: ignore[arg-type]
            verified=req.verified, effective=req.effective,
        )

    def falls_short(hits: list[tuple[str, Finding]]) -> LegalFinding:
        spec, first = hits[0]
        reason = req.reasons.get(spec) or req.reasons.get(spec.partition("[")[0])
        why = f"this falls short because {reason}" if reason else "the statute does not allow this."
        group = [f for s, f in hits if s == spec] or [first]
        return result("violates", f"violates {req.statute}: {req.summary} "
                      f"{_quote(spec, first, home)}: {why}",
                      [_evidence(f, spec) for f in group[:3]])

    violations = _having(req.violated_by, findings, home, req.unless_text)
    if violations:
        return falls_short(violations)
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
        # A criterion that read the clauses and found none of its elements rejected them:
        # the statute is not met by a quote the rubric turned down.
        rejected = got.rule in _REJECTING_RULES
        if (got.level is not Level.MISSING and not rejected
                and LEVEL_RANK[got.level] >= LEVEL_RANK[wanted]):
            return result("complies", f"complies with {req.statute}: {req.summary}",
                          got.evidence[:2])
        if rejected:
            return result("violates", f"violates {req.statute}: {req.summary} The policy "
                          f"touches on it but states none of what {got.title.lower()} asks "
                          f"for.", got.evidence[:2])
        silent = got.level is Level.MISSING and not req.must_state
        status = "not_addressed" if silent else "violates"
        lead = "not addressed:" if silent else "violates"
        return result(status, f"{lead} {req.statute}: {req.summary} (the policy is "
                      f"{got.level.value} on {got.title.lower()})", got.evidence[:2])
    if req.satisfied_by_fact is not None:
        value = getattr(card.facts, req.satisfied_by_fact, None)
        if value is not None:
            criterion = req.satisfied_by_fact.split("_")[0]
            quotes = card.criterion(criterion).evidence[:2] if _has(card, criterion) else []
            return result("complies", f"complies with {req.statute}: {req.summary}", quotes)
    satisfied = _having(req.satisfied_by, findings, home)
    if satisfied:
        return result("complies", f"complies with {req.statute}: {req.summary}",
                      [_evidence(f, spec) for spec, f in satisfied[:2]])
    shortfalls = _having(req.falls_short_by, findings, home, req.unless_text)
    if shortfalls:
        return falls_short(shortfalls)
    if req.must_state:
        return result("violates", f"violates {req.statute}: {req.summary} The policy does not "
                      "say so.")
    return result("not_addressed", f"not addressed: {req.statute}: {req.summary} The policy "
                  "does not say so.")


# Verdicts that mean "the clauses about this say none of what is asked".
_REJECTING_RULES = frozenset({"elements.addressed-without-elements"})


def _has(card: Scorecard, criterion_id: str) -> bool:
    return any(c.id == criterion_id for c in card.criteria)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
