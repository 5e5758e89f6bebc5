"""The one-page brief every report opens with, and the plain wording people read.

One view model, rendered by the scorecard page, the Markdown report and the standalone HTML
report: who the policy belongs to, the grade and what it means, how long data about
drivers not suspected of anything is kept, the few changes that would raise the score most
(weight × the gap to strong, each with its model language), then the state-law violations
with the statute and the policy's words. A reader who stops after it knows what to ask for.

Internals (rule ids, level scores, weights) stay in the JSON and in each report's "how this
was scored" part; the functions here turn the scorecard's machine wording into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import CriterionResult, Evidence, LegalFinding, Level, Scorecard
from .common import LEVEL_LABELS, days_text, split_recommendation

MAX_ASKS = 5
MIN_ASKS = 3
# Explanations end with the rule that decided: "(rule: retention.limit-strong)".
_RULE_SUFFIX = re.compile(r"\s*\(rule:[^()]*+\)\s*$")
# A quote inside an explanation, in parentheses: (“…”).
_INLINE_QUOTE = re.compile(r"\s*\(“[^”]*+”\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def plain_explanation(explanation: str) -> str:
    """The explanation without the rule id that decided it."""
    return _RULE_SUFFIX.sub("", explanation).strip()


def finding_sentence(result: CriterionResult, limit: int = 240) -> str:
    """One sentence saying what the policy does for this criterion, without quotes."""
    text = _INLINE_QUOTE.sub("", plain_explanation(result.explanation))
    text = " ".join(text.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if first.startswith("The policy does not address this ("):
        return "The policy says nothing about this."
    return _clip(first, limit)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def is_heading_only(evidence: Evidence) -> bool:
    """A bare heading ("Purpose", "462.6 RETENTION") quoted as if it were a clause."""
    text = " ".join(evidence.text.split())
    if evidence.section and text.rstrip(":.") == " ".join(evidence.section.split()).rstrip(":."):
        return True
    words = text.split()
    return len(words) <= 4 and not re.search(r"[.;!?]$", text) and not any(
        word.lower() in {"shall", "must", "may", "will", "is", "are"} for word in words)


def people_quotes(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence a person should read: every quote except bare headings."""
    return [e for e in evidence if not is_heading_only(e)]


def section_label(evidence: Evidence, card: Scorecard) -> str | None:
    """The heading a quote sits under, unless that "heading" is the document's or the
    agency's own name (a portal's title line is not a section)."""
    section = " ".join((evidence.section or "").split())
    if not section:
        return None
    names = {card.document.name, card.document.agency or ""}
    stem = card.document.name.rsplit(".", 1)[0]
    if section.lower() in {n.lower() for n in names | {stem} if n}:
        return None
    return section


def where(evidence: Evidence, card: Scorecard) -> str:
    """ "p. 3, § 462.6 RETENTION": as much location as the document really has."""
    parts = []
    if evidence.page is not None:
        parts.append(f"p. {evidence.page}")
    section = section_label(evidence, card)
    if section:
        parts.append(f"§ {section}")
    return ", ".join(parts)


def pages_text(pages: int | None) -> str:
    if not pages:
        return ""
    return f"{pages} page{'s' if pages != 1 else ''}"


def legal_requirement(finding: LegalFinding) -> str:
    """What the statute requires, without the "violates <statute>:" prefix and without the
    quote (shown apart)."""
    message = " ".join(finding.message.split())
    for prefix in (f"violates {finding.statute}:", f"complies with {finding.statute}:",
                   f"not addressed: {finding.statute}:"):
        if message.startswith(prefix):
            message = message[len(prefix):].strip()
            break
    said = message.find(" The policy says “")
    if said != -1 and finding.evidence:
        message = message[:said]
    return message


@dataclass
class Ask:
    """One change to ask for, and what it would be worth."""

    criterion: str  # id, for links to the criterion's card
    title: str
    level: Level
    level_label: str
    points: float  # how much the overall score would rise if this criterion reached strong
    finding: str  # what the policy does now, in one sentence
    ask: str  # what to change, in one sentence
    model_language: str


@dataclass
class Violation:
    statute: str
    requirement: str
    quote: Evidence | None
    where: str
    verified: bool


@dataclass
class Brief:
    agency: str  # the agency, or the file name when the document names none
    document: str
    agency_found: bool
    grade: str
    meaning: str
    score: float
    retention: str  # "30 days", "no maximum set"
    retention_days: int | None
    rubric: str
    criteria: int
    pages: str
    jurisdiction: str | None
    asks: list[Ask]
    violations: list[Violation]
    counts: dict[str, int]
    warnings: list[str]
    # Small notes shown under the grade (the percentile among a reference set goes here).
    grade_notes: list[str] = field(default_factory=list)


def _gain(result: CriterionResult, total_weight: float, strong: float) -> float:
    return 100 * result.weight * max(0.0, strong - result.score) / (total_weight or 1.0)


def top_asks(card: Scorecard, limit: int = MAX_ASKS) -> list[Ask]:
    """The criteria whose repair raises the overall score most (weight × gap to strong),
    largest first; ties keep the rubric's order."""
    total = sum(r.weight for r in card.criteria)
    strong = max((r.score for r in card.criteria if r.level is Level.STRONG), default=1.0)
    ranked = sorted(
        (r for r in card.criteria if r.level is not Level.STRONG),
        key=lambda r: -_gain(r, total, strong),
    )
    asks = []
    for result in ranked[:limit]:
        gain = _gain(result, total, strong)
        if gain <= 0:
            break
        advice, model = split_recommendation(result.recommendation)
        asks.append(Ask(
            criterion=result.id,
            title=result.title,
            level=result.level,
            level_label=LEVEL_LABELS[result.level],
            points=round(gain, 1),
            finding=finding_sentence(result),
            ask=_clip(_SENTENCE_END.split(" ".join(advice.split()), maxsplit=1)[0], 170),
            model_language=" ".join(model.split()),
        ))
    return asks


def build_brief(card: Scorecard, meaning: str = "") -> Brief:
    """``meaning``: the grade's meaning when the card predates ``overall.meaning``."""
    counts = {level.value: 0 for level in Level}
    for result in card.criteria:
        counts[result.level.value] += 1
    violations = []
    for finding in card.legal_findings:
        if finding.status != "violates":
            continue
        quotes = people_quotes(finding.evidence)
        quote = quotes[0] if quotes else None
        violations.append(Violation(
            statute=finding.statute,
            requirement=legal_requirement(finding),
            quote=quote,
            where=where(quote, card) if quote else "",
            verified=finding.verified,
        ))
    return Brief(
        agency=card.document.agency or card.document.name,
        document=card.document.name,
        agency_found=bool(card.document.agency),
        grade=card.overall.grade,
        meaning=card.overall.meaning or meaning,
        score=card.overall.score,
        retention=days_text(card.facts.retention_days),
        retention_days=card.facts.retention_days,
        rubric=f"{card.rubric.id} {card.rubric.version}",
        criteria=len(card.criteria),
        pages=pages_text(card.document.pages),
        jurisdiction=card.jurisdiction,
        asks=top_asks(card),
        violations=violations,
        counts=counts,
        warnings=list(card.warnings),
        grade_notes=[note] if (note := percentile_note(card)) else [],
    )


def percentile_note(card: Scorecard) -> str | None:
    """Where the score stands among real policies, next to the grade."""
    pct = card.overall.percentile
    if pct is None or not card.overall.peers:
        return None
    return (f"Scores higher than {pct:.0f}% of {card.overall.peers} real ALPR policies in "
            "the reference set (scored with the same rubric).")
