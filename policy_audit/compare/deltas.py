"""Scorecards of several versions → criterion deltas, and what each step changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from ..models import Evidence, Level, PageSpan, Scorecard
from .align import limited
from .models import (
    Change,
    Comparison,
    ConflictRef,
    CriterionAtVersion,
    CriterionDelta,
    CriterionStep,
    LegalChange,
    LoopholeRef,
    OverallDelta,
    SectionChange,
    Step,
    VersionInfo,
)
from .redline import Edits, PageLookup, redline

_LEVEL_ORDER = {Level.MISSING: 0, Level.WEAK: 1, Level.PARTIAL: 2, Level.STRONG: 3}
SCORE_EPSILON = 0.05  # overall points: rounding noise, not a change


@dataclass(slots=True)
class Version:
    """One version to compare: its scorecard and the text the scorecard's offsets index."""

    card: Scorecard
    text: str
    pages: list[PageSpan] = field(default_factory=list)
    audit_id: str | None = None

    def page_lookup(self) -> PageLookup | None:
        if not self.pages:
            return None
        return PageLookup([(span.start, span.end, span.page) for span in self.pages])


def level_change(before: CriterionAtVersion, after: CriterionAtVersion) -> Change:
    key_before = (before.score, _LEVEL_ORDER[before.level])
    key_after = (after.score, _LEVEL_ORDER[after.level])
    if key_after > key_before:
        return "improved"
    if key_after < key_before:
        return "regressed"
    return "unchanged"


def score_change(before: float, after: float) -> Change:
    if after - before > SCORE_EPSILON:
        return "improved"
    if before - after > SCORE_EPSILON:
        return "regressed"
    return "unchanged"


def _same_words(a: Evidence | None, b: Evidence | None) -> bool:
    if a is None or b is None:
        return a is b
    return " ".join(a.text.split()) == " ".join(b.text.split())


def _overlaps(spans: list[tuple[int, int]], evidence: list[Evidence]) -> bool:
    for start, end in spans:
        for quote in evidence:
            if start == end:  # an insertion point: inside the quote, not at its edges
                if quote.start < start < quote.end:
                    return True
            elif start < quote.end and quote.start < end:
                return True
    return False


def check_comparable(cards: list[Scorecard]) -> None:
    from ..errors import InputError

    first = cards[0]
    for card in cards[1:]:
        if (card.rubric.id, card.rubric.version) != (first.rubric.id, first.rubric.version):
            raise InputError(
                f"{card.document.name} was scored with rubric {card.rubric.id} "
                f"{card.rubric.version}, {first.document.name} with {first.rubric.id} "
                f"{first.rubric.version}: compare versions scored with the same rubric")
        if (card.jurisdiction or "") != (first.jurisdiction or ""):
            raise InputError(
                f"{card.document.name} was checked against {card.jurisdiction or 'no state'}, "
                f"{first.document.name} against {first.jurisdiction or 'no state'}: compare "
                "versions checked against the same state law")


def compare_versions(versions: list[Version], *, baseline: bool = False) -> Comparison:
    """Two or more versions, oldest first: each compared with the one before it, or with
    ``baseline=True`` each with the first (current law against competing bills)."""
    from ..errors import InputError

    if len(versions) < 2:
        raise InputError("comparing needs two or more versions (or one, against the model "
                         "language: compare_to_model)")
    cards = [v.card for v in versions]
    check_comparable(cards)
    criteria = _criteria(cards)
    steps: list[Step] = []
    for index in range(1, len(versions)):
        before = 0 if baseline else index - 1
        steps.append(_step(before, index, versions, criteria))
    for delta in criteria:
        delta.change = level_change(delta.versions[0], delta.versions[-1])
    scores = [c.overall.score for c in cards]
    warnings = [f"{c.document.name}: {w}" for c in cards for w in c.warnings]
    for step in steps:
        old_count = sum(1 for change in step.sections if change.old is not None)
        new_count = sum(1 for change in step.sections if change.new is not None)
        if limited(old_count, new_count):
            warnings.append(
                f"v{step.from_version + 1}→v{step.to_version + 1}: {old_count} and {new_count} "
                "sections, too many to compare every pair: only identical sections and short "
                "stretches between them were matched; other sections show as deleted and "
                "inserted")
    return Comparison(
        kind="versions",
        steps_from="first" if baseline else "previous",
        rubric=cards[0].rubric,
        jurisdiction=cards[0].jurisdiction,
        versions=[_info(i, v) for i, v in enumerate(versions)],
        criteria=criteria,
        overall=OverallDelta(
            scores=scores, grades=[c.overall.grade for c in cards],
            delta=round(scores[-1] - scores[0], 1), change=score_change(scores[0], scores[-1]),
        ),
        retention_days=[c.facts.retention_days for c in cards],
        steps=steps,
        warnings=warnings,
    )


def _info(index: int, version: Version) -> VersionInfo:
    card = version.card
    return VersionInfo(index=index, name=card.document.name, sha256=card.document.sha256,
                       media_type=card.document.media_type, overall=card.overall,
                       retention_days=card.facts.retention_days, audit_id=version.audit_id)


def _criteria(cards: list[Scorecard]) -> list[CriterionDelta]:
    deltas: list[CriterionDelta] = []
    for first in cards[0].criteria:
        readings = []
        for card in cards:
            result = card.criterion(first.id)
            readings.append(CriterionAtVersion(
                level=result.level, score=result.score,
                quote=result.evidence[0] if result.evidence else None))
        deltas.append(CriterionDelta(id=first.id, title=first.title, weight=first.weight,
                                     versions=readings, steps=[], change="unchanged"))
    return deltas


def _step(a: int, b: int, versions: list[Version], criteria: list[CriterionDelta]) -> Step:
    old, new = versions[a], versions[b]
    sections = redline(old.text, new.text, old_pages=old.page_lookup(),
                       new_pages=new.page_lookup())
    steps_by_id: dict[str, CriterionStep] = {}
    for delta in criteria:
        before, after = delta.versions[a], delta.versions[b]
        step = CriterionStep(
            from_version=a, to_version=b, change=level_change(before, after),
            wording_changed=not _same_words(before.quote, after.quote),
        )
        delta.steps.append(step)
        steps_by_id[delta.id] = step
    for change, edits in sections:
        _flag(change, edits, old.card, new.card, steps_by_id)
    counts = {status: 0 for status in ("changed", "inserted", "deleted", "unchanged")}
    counts["moved"] = 0
    for change, _ in sections:
        counts[change.status] += 1
        counts["moved"] += change.moved
    return Step(
        from_version=a, to_version=b,
        overall_delta=round(new.card.overall.score - old.card.overall.score, 1),
        retention_days=(old.card.facts.retention_days, new.card.facts.retention_days),
        conflicts_new=_minus(_conflicts(new.card), _conflicts(old.card)),
        conflicts_resolved=_minus(_conflicts(old.card), _conflicts(new.card)),
        loopholes_new=_minus(_loopholes(new.card), _loopholes(old.card)),
        loopholes_resolved=_minus(_loopholes(old.card), _loopholes(new.card)),
        legal_changes=_legal(old.card, new.card),
        sections=[change for change, _ in sections],
        counts=counts,
    )


def _flag(change: SectionChange, edits: Edits, old: Scorecard, new: Scorecard,
          steps: dict[str, CriterionStep]) -> None:
    """Mark the criteria whose evidence, in either version, lies in what this change
    touched: the reader sees next to the criterion which edits moved it."""
    if change.status == "unchanged" and not change.moved:
        return
    label = _label(change)
    for result in old.criteria:
        after = new.criterion(result.id)
        if _overlaps(edits.old, result.evidence) or _overlaps(edits.new, after.evidence):
            change.affects.append(result.id)
            if label not in steps[result.id].touched_by:
                steps[result.id].touched_by.append(label)


def _label(change: SectionChange) -> str:
    ref = change.new or change.old
    assert ref is not None
    number = f"§ {ref.number} " if ref.number else ""
    return f"{number}{ref.title} ({change.status}{', moved' if change.moved else ''})"


def _conflicts(card: Scorecard) -> dict[tuple[str, str], ConflictRef]:
    return {
        (c.id, " ".join(conflict.weaker.text.split())): ConflictRef(
            criterion=c.id, description=conflict.description, weaker=conflict.weaker.text)
        for c in card.criteria for conflict in c.conflicts
    }


def _loopholes(card: Scorecard) -> dict[tuple[str, str], LoopholeRef]:
    return {
        (found.id, found.criterion): LoopholeRef(
            id=found.id, title=found.title, criterion=found.criterion,
            quote=found.evidence[0].text if found.evidence else None)
        for found in card.loopholes
    }


K = TypeVar("K")
V = TypeVar("V")


def _minus(a: dict[K, V], b: dict[K, V]) -> list[V]:
    return [value for key, value in a.items() if key not in b]


def _legal(old: Scorecard, new: Scorecard) -> list[LegalChange]:
    before = {f.requirement: f for f in old.legal_findings}
    after = {f.requirement: f for f in new.legal_findings}
    changes: list[LegalChange] = []
    for requirement in [*before, *(r for r in after if r not in before)]:
        a, b = before.get(requirement), after.get(requirement)
        if a is not None and b is not None and a.status == b.status:
            continue
        shown = b or a
        assert shown is not None
        changes.append(LegalChange(
            requirement=requirement, statute=shown.statute,
            before=a.status if a else None, after=b.status if b else None,
            message=shown.message))
    return changes
