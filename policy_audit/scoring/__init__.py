"""Findings → criterion results → scorecard. Pure: no spaCy, no I/O.

Each criterion names a scorer in its rubric file; a scorer reads the findings and returns
a ``Verdict`` (level, the rule that decided, the reason, the clauses, conflicts). This
module turns verdicts into the public ``Scorecard`` with the rubric's scores, weights and
recommendations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..department import agency_name
from ..models import (
    Conflict,
    CriterionResult,
    DocumentInfo,
    Evidence,
    Facts,
    Finding,
    Level,
    LoopholeFound,
    Overall,
    RubricRef,
    Scorecard,
    SourceText,
)
from . import elements, immigration, reporting, retention, sharing
from .verdict import Verdict

if TYPE_CHECKING:
    from ..rubric import Criterion, Rubric

# A scorer reads the findings (and, for data-defined criteria, its criterion).
Scorer = Callable[..., Verdict]

SCORERS: dict[str, Scorer] = {
    "retention": retention.score,
    "sharing": sharing.score,
    "immigration": immigration.score,
    "reporting": reporting.score,
    "elements": elements.score,
}


def evidence_of(finding: Finding, rule: str | None = None) -> Evidence:
    decisive = next((cue for cue in finding.cues if not cue.startswith("scope.")), None)
    return Evidence(
        text=finding.text,
        start=finding.start,
        end=finding.end,
        page=finding.page,
        section=finding.section,
        rule=rule or decisive,
    )


def recommendation_for(criterion: Criterion, level: Level, advice: str | None = None) -> str:
    """What to ask for: the scorer's own advice when it knows exactly what is missing,
    else the rubric's advice for the level; then the model language."""
    if level is Level.STRONG:
        return "Already strong: keep this language, and keep it mandatory (shall/must)."
    strong = criterion.levels[Level.STRONG].meaning
    advice = advice or criterion.levels[level].recommendation or (
        f"Add language that meets: {strong}")
    return f"{advice} Model language: {criterion.model_language.strip()}"


def result_for(criterion: Criterion, verdict: Verdict) -> CriterionResult:
    return CriterionResult(
        id=criterion.id,
        title=criterion.title,
        level=verdict.level,
        score=criterion.score_for(verdict.level),
        weight=criterion.weight,
        evidence=[evidence_of(f) for f in verdict.evidence],
        explanation=f"{verdict.reason} (rule: {verdict.rule})",
        recommendation=recommendation_for(criterion, verdict.level, verdict.recommendation),
        rule=verdict.rule,
        conflicts=[
            Conflict(description=text, stronger=evidence_of(a), weaker=evidence_of(b))
            for text, a, b in verdict.conflicts
        ],
    )


def warnings_for(
    source: SourceText, findings: list[Finding], results: list[CriterionResult]
) -> list[str]:
    warnings = list(source.quality.notes)
    if source.quality.garbled:
        warnings.append("The extracted text looks garbled (bad PDF encoding or OCR); "
                        "levels may be wrong. Check the evidence against the original.")
    if source.quality.words < 80:
        warnings.append(f"Only {source.quality.words} words were extracted: this may not be the "
                        "whole policy.")
    if results and all(r.level is Level.MISSING for r in results):
        warnings.append("No criterion was addressed at all: check that this is an ALPR policy "
                        "and that its text was extracted correctly.")
    for finding in findings:
        for duration in finding.durations:
            if duration.conflict:
                warnings.append(f"Words and digits disagree in “{duration.text}”; the longer "
                                f"period ({duration.days} days) was used.")
    return warnings


def loopholes_of(criterion: Criterion, verdict: Verdict) -> list[LoopholeFound]:
    return [
        LoopholeFound(id=loophole_id, title=title, criterion=criterion.id, why=why,
                      evidence=[evidence_of(finding, f"loophole.{loophole_id}")])
        for loophole_id, title, why, finding in verdict.loopholes
    ]  # fmt: skip


def score_document(source: SourceText, findings: list[Finding], rubric: Rubric) -> Scorecard:
    results: list[CriterionResult] = []
    loopholes: list[LoopholeFound] = []
    facts: dict[str, object] = {"retention_days": None}
    for criterion in rubric.criteria:
        scorer = SCORERS[criterion.scorer]
        verdict = scorer(findings, criterion) if criterion.detect else scorer(findings)
        facts.update(verdict.facts)
        results.append(result_for(criterion, verdict))
        loopholes.extend(loopholes_of(criterion, verdict))
    total_weight = sum(r.weight for r in results) or 1.0
    overall = round(100 * sum(r.weight * r.score for r in results) / total_weight, 1)
    return Scorecard(
        document=DocumentInfo(
            name=source.name,
            agency=agency_name(source.text),
            sha256=source.sha256,
            media_type=source.media_type,
            pages=source.quality.pages,
            characters=len(source.text),
            words=source.quality.words,
            garbled=source.quality.garbled,
        ),
        rubric=RubricRef(id=rubric.id, version=rubric.version),
        overall=Overall(score=overall, grade=(grade := rubric.grade(overall)),
                        meaning=rubric.grade_meaning(grade)),
        facts=Facts(**facts),
        criteria=results,
        loopholes=loopholes,
        warnings=warnings_for(source, findings, results),
    )
