"""The generic ``elements`` scorer: criteria defined entirely in rubric data.

A criterion's ``[detect]`` table names the words that mark its clauses, the *elements* a
strong policy states (each a pattern, required in firm language or as a ban), and
*loopholes* (wording that undoes it). Levels:

- missing: no clause is about the criterion;
- weak: a loophole is present (it decides, as the weaker reading), or the criterion is
  addressed but no element is stated firmly ("should", "may", or swallowed by an exception);
  a loophole with ``scope = "clause"`` undoes only the elements of its own clause, and
  elements stated firmly in other clauses still earn partial;
- strong: every element is stated firmly, none only under an approval exception;
- partial: at least ``partial_min`` elements are stated firmly or qualified by an approval
  exception ("unless approved by a supervisor"), but not all firmly. A qualified element is
  named in the explanation with its exception quoted: it stands, but someone can waive it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import ElementCheck, ElementStatus, Finding, Level
from ..registry import register_scorer
from ..rubric import compiled
from .verdict import Verdict, quote, unique

if TYPE_CHECKING:
    from ..rubric import Criterion, ElementSpec, LoopholeSpec


@register_scorer("elements")
def score(findings: list[Finding], criterion: Criterion | None = None) -> Verdict:
    verdict = _score(findings, criterion)
    if criterion and criterion.detect and verdict.level is not Level.MISSING:
        mine = [f for f in findings if f.topic == criterion.id]
        verdict.elements = [ElementCheck(id=e.id, label=e.label, status=_status(mine, e.id))
                            for e in criterion.detect.elements]
    return verdict


_STATUSES: tuple[tuple[ElementStatus, str], ...] = (
    ("firm", ""), ("qualified", ".qualified"), ("soft", ".soft"))


def _status(mine: list[Finding], element_id: str) -> ElementStatus:
    """How the policy states one element, its firmest statement first."""
    for status, suffix in _STATUSES:
        if _with(mine, f"element.{element_id}{suffix}"):
            return status
    return "absent"


def _score(findings: list[Finding], criterion: Criterion | None) -> Verdict:
    if criterion is None or criterion.detect is None:
        raise ValueError("the elements scorer needs its criterion's [detect] table")
    spec = criterion.detect
    mine = [f for f in findings if f.topic == criterion.id]
    if not mine:
        return Verdict(Level.MISSING, "elements.not-addressed",
                       f"The policy does not address this ({criterion.title.lower()}).")
    firm = {e.id: _with(mine, f"element.{e.id}") for e in spec.elements}
    soft = {e.id: _with(mine, f"element.{e.id}.soft") for e in spec.elements}
    qualified = {e.id: _with(mine, f"element.{e.id}.qualified") for e in spec.elements}
    present = [e for e in spec.elements if firm[e.id]]
    hedged = [e for e in spec.elements if not firm[e.id] and qualified[e.id]]
    absent = [e for e in spec.elements if not firm[e.id] and not qualified[e.id]]
    evidence = unique(f for e in present for f in firm[e.id][:1])
    hedged_evidence = unique(f for e in hedged for f in qualified[e.id][:1])
    for loophole in spec.loopholes:
        found = _with(mine, f"loophole.{loophole.id}")
        if found and loophole.scope == "clause":
            standing = [e for e in present if _stands(e, firm[e.id], found, loophole)]
            if len(standing) >= spec.partial_min:
                return _undercut(loophole, found[0], standing, firm, absent + hedged)
        if found:
            conflicts = [(f"Firm language is undercut by a loophole ({loophole.label}); the "
                          "weaker reading decides.", evidence[0], found[0])] if evidence else []
            return Verdict(
                Level.WEAK, f"elements.loophole-{loophole.id}",
                f"The policy contains a loophole: {loophole.label} ({quote(found[0])}). "
                f"{loophole.why}",
                unique([found[0], *evidence])[:4], conflicts,
                recommendation=_asks(present, absent + hedged, removing=loophole.label),
                loopholes=[(loophole.id, loophole.label, loophole.why, found[0])],
            )
    if not absent and not hedged:
        return Verdict(
            Level.STRONG, "elements.all-firm",
            "The policy firmly states every element: "
            + "; ".join(f"{e.label} ({quote(firm[e.id][0], 100)})" for e in present) + ".",
            evidence,
        )
    missing_text = ", ".join(e.label for e in absent)
    if hedged and len(present) + len(hedged) >= spec.partial_min:
        verdict = _qualified(present, hedged, absent, firm, qualified, evidence + hedged_evidence)
        verdict.recommendation = _asks(present, absent, waivable=hedged)
        return verdict
    if len(present) >= spec.partial_min:
        return Verdict(
            Level.PARTIAL, "elements.some-firm",
            f"The policy states {', '.join(e.label for e in present)} "
            f"({quote(firm[present[0].id][0], 100)}), but not {missing_text}.",
            evidence, recommendation=_asks(present, absent),
        )
    soft_found = [f for e in spec.elements for f in soft[e.id][:1]]
    if soft_found:
        reason = (f"The policy speaks of this only in soft or qualified terms "
                  f"({quote(soft_found[0], 120)}): nothing binding on {missing_text}.")
        return Verdict(Level.WEAK, "elements.only-soft", reason, unique(soft_found)[:3])
    return Verdict(
        Level.WEAK, "elements.addressed-without-elements",
        f"The policy touches on this ({quote(mine[0], 120)}) but states none of: {missing_text}.",
        mine[:2],
    )


def _asks(
    present: list[ElementSpec],
    missing: list[ElementSpec],
    *,
    waivable: list[ElementSpec] | None = None,
    removing: str | None = None,
) -> str:
    """Ask only for what is missing, and say what the policy already states."""
    parts = []
    if removing:
        parts.append(f"Remove the loophole ({removing}).")
    if present:
        parts.append(f"The policy already states {_joined(present)}: keep it.")
    if waivable:
        parts.append(f"Make {_joined(waivable)} binding, with no approval exception.")
    if missing:
        parts.append(f"Add {_joined(missing)}.")
    return " ".join(parts)


def _joined(elements: list[ElementSpec]) -> str:
    labels = [e.label for e in elements]
    return labels[0] if len(labels) == 1 else f"{'; '.join(labels[:-1])}; and {labels[-1]}"


def _qualified(
    present: list[ElementSpec],
    hedged: list[ElementSpec],
    absent: list[ElementSpec],
    firm: dict[str, list[Finding]],
    qualified: dict[str, list[Finding]],
    evidence: list[Finding],
) -> Verdict:
    """Partial: some elements stand only under an approval exception, quoted in the reason."""
    parts = []
    if present:
        parts.append(f"The policy states {', '.join(e.label for e in present)} "
                     f"({quote(firm[present[0].id][0], 100)}).")
    for element in hedged:
        finding = qualified[element.id][0]
        exception = finding.exceptions[0] if finding.exceptions else "an approval exception"
        parts.append(f"It states {element.label} only subject to an approval exception "
                     f"(“{exception}”: {quote(finding, 100)}), so it can be waived.")
    if absent:
        parts.append(f"It does not state {', '.join(e.label for e in absent)}.")
    return Verdict(Level.PARTIAL, "elements.qualified", " ".join(parts), unique(evidence)[:4])


def _stands(
    element: ElementSpec, stated: list[Finding], undercut: list[Finding], loophole: LoopholeSpec
) -> bool:
    """Whether an element stands beside a clause-scoped loophole: stated in another clause,
    or in another item of the same list ("Harassment, use based solely on race, personal
    use": the qualifier undoes only its own item)."""
    spans = {(f.start, f.end): f for f in undercut}
    for finding in stated:
        if (finding.start, finding.end) not in spans:
            return True
        for item in _list_items(finding.text):
            if compiled(element.pattern).search(item) and not compiled(loophole.pattern).search(
                item
            ):
                return True
    return False


def _list_items(text: str) -> list[str]:
    """The comma- or semicolon-separated items of a clause, a parenthesis kept whole."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth <= 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _undercut(
    loophole: LoopholeSpec, found: Finding, standing: list[ElementSpec],
    firm: dict[str, list[Finding]], missing: list[ElementSpec],
) -> Verdict:
    """Partial: a clause-level loophole undoes its own clause; other firm clauses stand."""
    # Prefer a clause the loophole does not touch; an item of the loophole's own list
    # otherwise (its quote is then the loophole's clause).
    evidence = [next((f for f in firm[e.id] if (f.start, f.end) != (found.start, found.end)),
                     firm[e.id][0]) for e in standing]
    return Verdict(
        Level.PARTIAL, f"elements.loophole-{loophole.id}-clause",
        f"The policy contains a loophole: {loophole.label} ({quote(found)}). {loophole.why} "
        f"It still states {', '.join(e.label for e in standing)} elsewhere "
        f"({quote(evidence[0], 100)}).",
        unique([found, *evidence])[:4],
        recommendation=_asks(standing, missing, removing=loophole.label),
        loopholes=[(loophole.id, loophole.label, loophole.why, found)],
    )


def _with(findings: list[Finding], cue: str) -> list[Finding]:
    return [f for f in findings if cue in f.cues]
