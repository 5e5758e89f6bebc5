"""Run a rubric's own examples and near misses through the engine (``policy-audit rubric
--check``): every example must earn its level, every near miss must stay below its level.

Loading a rubric checks that they exist; this checks that they hold, so a rubric author
learns that a pattern is too loose or too strict before any policy is scored with it.
"""

from __future__ import annotations

from collections import Counter

from .ingest import source_from_text
from .models import LEVEL_RANK
from .pipeline import audit_text
from .rubric import Rubric, compiled


def problems(rubric: Rubric) -> list[str]:
    """One line per example or near miss the engine does not score as the rubric says."""
    found: list[str] = []
    for criterion in rubric.criteria:
        for example in criterion.examples:
            card = audit_text(source_from_text(example.text), rubric)
            result = card.criterion(criterion.id)
            if result.level is not example.level:
                found.append(f"{criterion.id}: example should be {example.level.value}, "
                             f"scores {result.level.value} ({result.explanation}): "
                             f"{example.text!r}")
            elif example.retention_days not in (None, card.facts.retention_days):
                found.append(f"{criterion.id}: example should give retention_days "
                             f"{example.retention_days}, gives {card.facts.retention_days}: "
                             f"{example.text!r}")
        for miss in criterion.near_misses:
            level = audit_text(source_from_text(miss.text), rubric).criterion(criterion.id).level
            if LEVEL_RANK[level] >= LEVEL_RANK[miss.below]:
                found.append(f"{criterion.id}: near miss reaches {level.value}, must stay "
                             f"below {miss.below.value} ({miss.why}): {miss.text!r}")
    return found


def overlaps(rubric: Rubric, min_texts: int = 3) -> list[str]:
    """Elements of different criteria whose patterns match the same words in at least
    ``min_texts`` of the rubric's own examples and near misses: one sentence would then earn
    two criteria, so a new element may duplicate one another criterion already scores.
    A warning, not an error: some overlaps are meant (immigration use is both a prohibited
    use and a federal-access question)."""
    texts = [e.text for c in rubric.criteria for e in c.examples]
    texts += [m.text for c in rubric.criteria for m in c.near_misses]
    elements = [(c.id, e.id, compiled(e.pattern)) for c in rubric.criteria if c.detect
                for e in c.detect.elements]
    shared: Counter[tuple[str, str]] = Counter()
    for text in texts:
        spans = [(m.start(), m.end(), f"{cid}.{eid}") for cid, eid, pattern in elements
                 for m in pattern.finditer(text)]
        pairs = {tuple(sorted((a[2], b[2]))) for a in spans for b in spans
                 if a[2].split(".")[0] != b[2].split(".")[0] and a[0] < b[1] and b[0] < a[1]}
        shared.update(pairs)  # type: ignore[arg-type]
    return [f"elements {a} and {b} match the same words in {n} example texts: one sentence "
            "would earn both criteria" for (a, b), n in sorted(shared.items()) if n >= min_texts]
