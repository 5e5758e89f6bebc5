"""Findings → criterion results → scorecard. Pure: no spaCy, no I/O.

Each criterion names a scorer in its rubric file; a scorer reads the findings and returns
a ``Verdict`` (level, the rule that decided, the reason, the clauses, conflicts). This
module turns verdicts into the public ``Scorecard`` with the rubric's scores, weights and
recommendations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import reference
from ..department import agency_name
from ..models import (
    ClauseReading,
    Conflict,
    CriterionResult,
    Decision,
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
from ..registry import scorers
from . import elements, immigration, reporting, retention, sharing
from .verdict import Verdict

if TYPE_CHECKING:
    from ..rubric import Criterion, Rubric

# Importing the scorer modules registers them by name (``registry.register_scorer``).
__all__ = ["elements", "immigration", "reporting", "retention", "sharing"]


def evidence_of(finding: Finding, rule: str | None = None) -> Evidence:
    decisive = next((cue for cue in finding.cues if not cue.startswith("scope.")), None)
    return Evidence(
        text=finding.text,
        start=finding.start,
        end=finding.end,
        page=finding.page,
        section=finding.section,
        rule=rule or decisive,
        reading=reading_of(finding),
    )


def reading_of(finding: Finding) -> ClauseReading:
    """The structured reason behind a quote: what read the clause and how."""
    return ClauseReading(
        detector=finding.topic,
        cues=list(finding.cues),
        modality=finding.modality,
        negated=finding.negated,
        reading_rule=finding.reading_rule,
        exceptions=list(finding.exception_reads),
        days=sorted({d.days for d in finding.durations}),
        recipients=sorted({r.kind for r in finding.recipients}),
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
        decision=Decision(
            scorer=criterion.scorer,
            rule=verdict.rule,
            elements=verdict.elements,
            loopholes=[loophole_id for loophole_id, *_ in verdict.loopholes],
            conflicts=len(verdict.conflicts),
        ),
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
        scorer = scorers()[criterion.scorer]
        verdict = scorer(findings, criterion)
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
        rubric=RubricRef(id=rubric.id, version=rubric.version, digest=rubric.digest),
        overall=Overall(score=overall, grade=(grade := rubric.grade(overall)),
                        meaning=rubric.grade_meaning(grade),
                        percentile=reference.percentile(overall, rubric.id),
                        peers=len(reference.Reference.shipped().scores(rubric.id))),
        facts=Facts.model_validate(facts),
        criteria=results,
        loopholes=loopholes,
        warnings=warnings_for(source, findings, results),
    )
