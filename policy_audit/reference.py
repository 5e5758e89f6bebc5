"""The reference set: figures of scored real policies, to place a policy among its peers.

Only figures are shipped (levels per criterion, overall scores, retention days, the agency
and a link to the source), never the policies' sentences. ``scripts/build_reference.py``
regenerates ``policy_audit/data/reference.json`` from the corpus it was measured on.

This module imports neither spaCy nor the pipeline: the grade display uses ``percentile``.

>>> from policy_audit.reference import percentile
>>> percentile(81.8)            # % of the reference policies scoring below 81.8 # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import functools
import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from .models import Level

if TYPE_CHECKING:
    from .models import Scorecard

DEFAULT_RUBRIC = "comprehensive"
LEVELS: tuple[Level, ...] = (Level.STRONG, Level.PARTIAL, Level.WEAK, Level.MISSING)


class PeerFigures(BaseModel):
    """One real policy, reduced to figures."""

    id: str
    agency: str
    state: str | None = None
    kind: str | None = None  # "policy" (the agency's own) or "vendor" (a transparency page)
    year: int | None = None
    source: str | None = None  # where the document can be read
    retention_days: int | None = None  # longest non-hit retention; None: no maximum set
    levels: dict[str, Level] = Field(default_factory=dict)  # criterion id -> level
    overall: dict[str, float] = Field(default_factory=dict)  # rubric id -> overall score


class Reference(BaseModel):
    """A set of peers: the shipped reference set, a figures file, or a scored folder."""

    description: str
    generated: str | None = None
    rubrics: dict[str, str] = Field(default_factory=dict)  # rubric id -> version scored with
    policies: list[PeerFigures]

    @classmethod
    def shipped(cls) -> Reference:
        return _shipped()

    @classmethod
    def load(cls, path: Path) -> Reference:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))

    @classmethod
    def from_scorecards(cls, cards: list[Scorecard], *, description: str) -> Reference:
        """Peers scored just now (``rank --against FOLDER``)."""
        rubric = cards[0].rubric if cards else None
        return cls(
            description=description,
            rubrics={rubric.id: rubric.version} if rubric else {},
            policies=[
                PeerFigures(
                    id=card.document.name, agency=card.document.name,
                    retention_days=card.facts.retention_days,
                    levels={c.id: c.level for c in card.criteria},
                    overall={card.rubric.id: card.overall.score},
                )
                for card in cards
            ],
        )

    def scores(self, rubric: str = DEFAULT_RUBRIC) -> list[float]:
        """Overall scores of the peers scored with ``rubric``, ascending."""
        return sorted(p.overall[rubric] for p in self.policies if rubric in p.overall)

    def percentile(self, score: float, rubric: str = DEFAULT_RUBRIC) -> float | None:
        """The share of peers (0-100) scoring below ``score``, ties counted half; None
        when no peer was scored with that rubric."""
        scores = self.scores(rubric)
        if not scores:
            return None
        below = bisect.bisect_left(scores, score)
        ties = bisect.bisect_right(scores, score) - below
        return round(100.0 * (below + ties / 2) / len(scores), 1)

    def distribution(self, criterion: str) -> dict[Level, int]:
        """How many peers read at each level for ``criterion`` (peers without it omitted)."""
        counts = Counter(p.levels[criterion] for p in self.policies if criterion in p.levels)
        return {level: counts.get(level, 0) for level in LEVELS}

    def retention_days(self) -> list[int | None]:
        return [p.retention_days for p in self.policies]


@functools.cache
def _shipped() -> Reference:
    data = resources.files("policy_audit").joinpath("data/reference.json").read_text("utf-8")
    return Reference.model_validate(json.loads(data))


def percentile(score: float, rubric: str = DEFAULT_RUBRIC) -> float | None:
    """Where an overall score stands in the shipped reference set (see ``Reference``)."""
    return _shipped().percentile(score, rubric)


def distribution(criterion: str) -> dict[Level, int]:
    """Levels of the shipped reference set's policies for one criterion."""
    return _shipped().distribution(criterion)
