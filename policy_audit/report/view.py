"""What a person reads in the HTML scorecard (the web page and the standalone report): one
view model, computed from a scorecard, and, when there is one, its extracted text and its
rubric.

Kept apart from the templates so the page's logic (offsets, wording, what to ask for) is
tested without a browser.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from ..models import CriterionResult, Evidence, Level, Scorecard
from ..rubric import Citation, Rubric
from .brief import (
    Brief,
    build_brief,
    finding_sentence,
    legal_requirement,
    people_quotes,
    plain_explanation,
    where,
)
from .common import LEVEL_LABELS, STATUS_LABELS, days_text, split_recommendation

STATUS_BADGE = {"violates": "weak", "complies": "strong", "not_addressed": "missing"}
GAPS = (Level.WEAK, Level.MISSING)


class Utf16Offsets:
    """Python indexes text by code point, the browser's JavaScript by UTF-16 unit: the two
    differ after any character outside the Basic Multilingual Plane (emoji, some symbols)."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        if not self.astral:
            return offset
        return offset + bisect_left(self.astral, offset)


@dataclass
class Quote:
    text: str
    where: str
    start: int  # UTF-16 offsets into the full text, for the page's script
    end: int
    located: bool  # the quoted words really are at those offsets in the stored text


@dataclass
class CriterionView:
    result: CriterionResult
    label: str
    finding: str  # one sentence, no quotes: the collapsed card's line
    explanation: str  # the whole explanation, without the rule id
    quotes: list[Quote]
    advice: str
    model_language: str
    question: str | None = None
    why: str | None = None
    citations: list[Citation] = field(default_factory=list)
    conflicts: list[tuple[str, Quote, Quote]] = field(default_factory=list)
    loopholes: list[tuple[str, str, list[Quote]]] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return self.result.level in GAPS


@dataclass
class LegalView:
    status: str
    label: str
    badge: str
    requirement: str
    statute: str
    verified: bool
    quotes: list[Quote]


@dataclass
class ScoringRow:
    """One row of "how this was scored": the internals, for those who want them."""

    title: str
    level: str
    score: float
    weight: float
    share: float  # percent of the total weight
    rule: str
    # The decision trace, in short: each element's status, the loopholes that decided, and
    # how the deciding quote was read (detector, modality and its rule, exceptions, cues).
    trace: list[str] = field(default_factory=list)


def trace_lines(result: CriterionResult) -> list[str]:
    """The decision trace of one criterion as short lines (the JSON has it in full)."""
    lines = []
    decision = result.decision
    if decision and decision.elements:
        lines.append("Elements: " + "; ".join(f"{e.label}: {e.status}"
                                              for e in decision.elements))
    if decision and decision.loopholes:
        lines.append("Loophole that decided: " + ", ".join(decision.loopholes))
    reading = result.evidence[0].reading if result.evidence else None
    if reading is not None:
        how = f"First quote read by {reading.detector}: {reading.modality}"
        if reading.reading_rule:
            how += f" ({reading.reading_rule})"
        if reading.negated:
            how += ", negated"
        if reading.exceptions:
            how += "; exceptions: " + "; ".join(
                f"“{e.text[:60]}” ({e.kind}, {e.breadth})" for e in reading.exceptions)
        lines.append(f"{how}; cues: {', '.join(reading.cues)}")
    return lines


@dataclass
class ScorecardView:
    brief: Brief
    criteria: list[CriterionView]
    legal: list[LegalView]
    counts: dict[str, int]
    retention: str
    text: str
    has_text: bool
    scoring: list[ScoringRow]
    gaps: int  # criteria at weak or missing

    def shown(self, only_gaps: bool) -> list[CriterionView]:
        return [c for c in self.criteria if c.is_gap] if only_gaps else self.criteria


def scorecard_view(card: Scorecard, text: str = "", rubric: Rubric | None = None) -> ScorecardView:
    to_js = Utf16Offsets(text)

    def quote(evidence: Evidence) -> Quote:
        located = bool(text) and text[evidence.start : evidence.end] == evidence.text
        return Quote(
            text=evidence.text,
            where=where(evidence, card),
            start=to_js(evidence.start),
            end=to_js(evidence.end),
            located=located,
        )

    criteria_spec = {c.id: c for c in rubric.criteria} if rubric is not None else {}
    views = []
    for result in card.criteria:
        advice, model = split_recommendation(result.recommendation)
        spec = criteria_spec.get(result.id)
        view = CriterionView(
            result=result,
            label=LEVEL_LABELS[result.level],
            finding=finding_sentence(result),
            explanation=plain_explanation(result.explanation),
            quotes=[quote(e) for e in people_quotes(result.evidence)],
            advice=advice,
            model_language=model,
        )
        if spec is not None:
            view.question, view.why, view.citations = spec.question, spec.why, spec.citations
        view.conflicts = [
            (c.description, quote(c.stronger), quote(c.weaker)) for c in result.conflicts
        ]
        view.loopholes = [
            (lh.title, lh.why, [quote(e) for e in lh.evidence[:2]])
            for lh in card.loopholes
            if lh.criterion == result.id
        ]
        views.append(view)
    legal = [
        LegalView(
            status=f.status,
            label=STATUS_LABELS[f.status],
            badge=STATUS_BADGE[f.status],
            requirement=legal_requirement(f),
            statute=f.statute,
            verified=f.verified,
            quotes=[quote(e) for e in people_quotes(f.evidence)[:2]],
        )
        for f in card.legal_findings
    ]
    counts = {level.value: 0 for level in Level}
    for result in card.criteria:
        counts[result.level.value] += 1
    total = sum(r.weight for r in card.criteria) or 1.0
    scoring = [
        ScoringRow(r.title, LEVEL_LABELS[r.level], r.score, r.weight, 100 * r.weight / total,
                   r.rule or "", trace_lines(r))
        for r in card.criteria
    ]
    meaning = ""
    if rubric is not None and not card.overall.meaning:
        meaning = rubric.grade_meaning(card.overall.grade)  # a card saved before meanings
    return ScorecardView(
        brief=build_brief(card, meaning),
        criteria=views,
        legal=legal,
        counts=counts,
        retention=days_text(card.facts.retention_days),
        text=text,
        has_text=bool(text),
        scoring=scoring,
        gaps=counts[Level.WEAK.value] + counts[Level.MISSING.value],
    )
