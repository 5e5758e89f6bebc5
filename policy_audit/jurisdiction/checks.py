"""Checking a policy against a state's requirements: each becomes a legal finding with the
statute cited and the policy's words quoted."""

from __future__ import annotations

import functools
import re
from typing import Literal

from ..models import LEVEL_RANK, Evidence, Finding, LegalFinding, Level, Scorecard
from ..scoring import reading_of
from ..states import STATE_NAMES
from .models import Jurisdiction, Requirement


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
    pieces: list[tuple[str, int, int, int | None, str | None]]
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


Status = Literal["violates", "complies", "not_addressed"]


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

    def result(
        status: Status, message: str, evidence: list[Evidence] | None = None
    ) -> LegalFinding:
        caveat = "" if req.verified else " (this requirement is not verified against the " \
            "statute's text: check it before relying on it)"
        return LegalFinding(
            jurisdiction=jurisdiction.id.upper(), requirement=req.id, statute=req.statute,
            status=status, message=message + caveat, evidence=evidence or [],
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
            status: Status = "violates" if quotes else "not_addressed"
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
        verdict: Status = "not_addressed" if silent else "violates"
        lead = "not addressed:" if silent else "violates"
        return result(verdict, f"{lead} {req.statute}: {req.summary} (the policy is "
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
