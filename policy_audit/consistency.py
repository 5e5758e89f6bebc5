"""Checks that a scorecard agrees with itself and with the document it quotes.

A scorecard people quote must never contradict itself: every quote is the document's exact
words at its offsets, a criterion that names a loophole has it in ``loopholes``, a
recommendation never asks for an element the same criterion found, and a legal finding
never complies on clauses the matching criterion turned down. ``problems`` lists every
breach in plain words; the tests run it over every bundled sample, and
``benchmarks/check_evidence.py`` over any folder of real documents.
"""

from __future__ import annotations

import re

from .models import Evidence, Scorecard
from .rubric import Rubric

_STATES_RE = re.compile(
    r"The policy (?:firmly )?states (?P<labels>.{1,2000}?)(?: \(“|, but not |$)"
)
_ASKS_RE = re.compile(r"\bAdd (?P<labels>.{1,2000}?)\.(?: Model language:|$| )")
_LOOPHOLE_RE = re.compile(r"contains a loophole: (?P<label>[^(]{1,500}?) \(“")
_REJECTING_RULES = ("elements.addressed-without-elements", "elements.not-addressed")


def problems(card: Scorecard, text: str, rubric: Rubric | None = None) -> list[str]:
    """Every way ``card`` breaks the rules above (empty when it is consistent)."""
    found: list[str] = []
    for where, evidence in _all_evidence(card):
        if text[evidence.start : evidence.end] != evidence.text:
            found.append(f"{where}: quote not verbatim at {evidence.start}-{evidence.end}: "
                         f"{evidence.text[:60]!r}")  # fmt: skip
    listed = {(lh.criterion, lh.title) for lh in card.loopholes}
    for result in card.criteria:
        named = _LOOPHOLE_RE.search(result.explanation)
        if named and (result.id, named["label"].strip()) not in listed:
            found.append(f"{result.id}: names the loophole {named['label']!r}, which the "
                         "scorecard's loopholes list lacks")
        if rubric is not None:
            found.extend(_asks_for_found(result.id, result.explanation, result.recommendation,
                                         rubric))  # fmt: skip
    found.extend(_complies_on_rejected(card))
    return found


def _complies_on_rejected(card: Scorecard) -> list[str]:
    """A requirement checked through a criterion ("the policy must state its purposes" via
    ``authorized_purposes``) must not comply where that criterion turned the clauses down."""
    if card.jurisdiction is None:
        return []
    from .jurisdiction import load_jurisdiction  # the state data is read only when needed

    matching = {req.id: req.min_level[0] for req in load_jurisdiction(card.jurisdiction)
                .requirements if req.min_level is not None}  # fmt: skip
    results = {result.id: result for result in card.criteria}
    return [
        f"{legal.requirement}: complies on clauses that {matching[legal.requirement]} rejected"
        for legal in card.legal_findings
        if legal.status == "complies"
        and legal.requirement in matching
        and matching[legal.requirement] in results
        and results[matching[legal.requirement]].rule in _REJECTING_RULES
    ]


def _all_evidence(card: Scorecard) -> list[tuple[str, Evidence]]:
    quotes: list[tuple[str, Evidence]] = []
    for result in card.criteria:
        quotes += [(result.id, e) for e in result.evidence]
        for conflict in result.conflicts:
            quotes += [(result.id, conflict.stronger), (result.id, conflict.weaker)]
    for loophole in card.loopholes:
        quotes += [(f"loophole {loophole.id}", e) for e in loophole.evidence]
    for legal in card.legal_findings:
        quotes += [(f"legal {legal.requirement}", e) for e in legal.evidence]
    return quotes


def _asks_for_found(criterion_id: str, explanation: str, recommendation: str, rubric: Rubric
                    ) -> list[str]:
    """An element the explanation says is stated must not be asked for again."""
    criterion = next((c for c in rubric.criteria if c.id == criterion_id), None)
    if criterion is None or criterion.detect is None:
        return []
    stated = _STATES_RE.search(explanation)
    asked = _ASKS_RE.search(recommendation)
    if stated is None or asked is None:
        return []
    return [
        f"{criterion_id}: recommends adding {element.label!r}, which it found"
        for element in criterion.detect.elements
        if element.label in stated["labels"] and element.label in asked["labels"]
    ]
