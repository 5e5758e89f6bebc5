"""What a criterion scorer returns, and helpers to pick findings by cue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import ElementCheck, Finding, Level


@dataclass
class Verdict:
    """A level, the rule that decided it, why, and the clauses behind it."""

    level: Level
    rule: str
    reason: str
    evidence: list[Finding] = field(default_factory=list)
    # (description, stronger clause, weaker clause): the weaker reading decided.
    conflicts: list[tuple[str, Finding, Finding]] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)
    # What to ask for, when the scorer knows exactly what is missing (and what is there);
    # otherwise the rubric's advice for the level.
    recommendation: str | None = None
    # Loopholes that decided the verdict: (id, title, why, the clause that holds it). They
    # are listed in the scorecard's ``loopholes`` too, so the two never disagree.
    loopholes: list[tuple[str, str, str, Finding]] = field(default_factory=list)
    # Element criteria: how the policy states each element (the decision trace shows them).
    elements: list[ElementCheck] = field(default_factory=list)


def having(findings: Iterable[Finding], *cues: str, topic: str | None = None) -> list[Finding]:
    """Findings that carry any of ``cues`` (optionally of one topic)."""
    wanted = set(cues)
    return [
        f for f in findings if (topic is None or f.topic == topic) and wanted.intersection(f.cues)
    ]


def quote(finding: Finding, limit: int = 160) -> str:
    text = " ".join(finding.text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def unique(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[int, int]] = set()
    kept = []
    for finding in findings:
        if (finding.start, finding.end) not in seen:
            seen.add((finding.start, finding.end))
            kept.append(finding)
    return kept
