"""Run a rubric's own examples and near misses through the engine (``policy-audit rubric
--check``): every example must earn its level, every near miss must stay below its level.

Loading a rubric checks that they exist; this checks that they hold, so a rubric author
learns that a pattern is too loose or too strict before any policy is scored with it.
"""

from __future__ import annotations

from .ingest import source_from_text
from .models import LEVEL_RANK
from .pipeline import audit_text
from .rubric import Rubric


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
