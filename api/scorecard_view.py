"""What the scorecard page shows, computed from a saved scorecard and its extracted text.

Kept apart from the route so the page's logic (offsets, grouping, advice vs model language)
is tested without a browser.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from policy_audit.models import CriterionResult, Evidence, Level, Scorecard
from policy_audit.report.common import LEVEL_LABELS, days_text, split_recommendation, where
from policy_audit.rubric import Citation, Rubric

STATUS_BADGE = {"violates": "weak", "complies": "strong", "not_addressed": "missing"}
STATUS_LABEL = {"violates": "Violates", "complies": "Complies", "not_addressed": "Not addressed"}


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
    rule: str | None
    start: int  # UTF-16 offsets into the full text, for the page's script
    end: int
    located: bool  # the quoted words really are at those offsets in the stored text


@dataclass
class CriterionView:
    result: CriterionResult
    label: str
    quotes: list[Quote]
    advice: str
    model_language: str
    question: str | None = None
    why: str | None = None
    citations: list[Citation] = field(default_factory=list)
    conflicts: list[tuple[str, Quote, Quote]] = field(default_factory=list)
    loopholes: list[tuple[str, str, list[Quote]]] = field(default_factory=list)


@dataclass
class LegalView:
    status: str
    label: str
    badge: str
    message: str
    statute: str
    verified: bool
    quotes: list[Quote]


@dataclass
class ScorecardView:
    criteria: list[CriterionView]
    legal: list[LegalView]
    counts: dict[str, int]
    retention: str
    text: str
    has_text: bool


def scorecard_view(card: Scorecard, text: str, rubric: Rubric | None) -> ScorecardView:
    to_js = Utf16Offsets(text)

    def quote(evidence: Evidence) -> Quote:
        located = text[evidence.start : evidence.end] == evidence.text
        return Quote(
            text=evidence.text,
            where=where(evidence),
            rule=evidence.rule,
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
            quotes=[quote(e) for e in result.evidence],
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
            label=STATUS_LABEL[f.status],
            badge=STATUS_BADGE[f.status],
            message=f.message,
            statute=f.statute,
            verified=f.verified,
            quotes=[quote(e) for e in f.evidence[:2]],
        )
        for f in card.legal_findings
    ]
    counts = {level.value: 0 for level in Level}
    for result in card.criteria:
        counts[result.level.value] += 1
    return ScorecardView(
        criteria=views,
        legal=legal,
        counts=counts,
        retention=days_text(card.facts.retention_days),
        text=text,
        has_text=bool(text),
    )
