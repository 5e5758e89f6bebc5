"""``retention``: is ALPR data not tied to a hit destroyed after a set time?

``retention_days`` is the longest time the policy lets such data be kept. Periods that
govern only hit/evidence data or other records (query logs, hot lists, video) are set
aside. A firm limit decides the level by its length; "as long as necessary" for the same
data overrides it (the weaker reading); minimums, discretionary deletion and deferrals to
an unnamed schedule are no limit at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Finding, Level
from ..registry import register_scorer
from .verdict import Verdict, having, quote, unique

if TYPE_CHECKING:
    from ..rubric import Criterion

_COUNTED = ("scope.general", "scope.nonhit")


def _counted(findings: list[Finding]) -> list[Finding]:
    """Retention findings about non-hit data, resolving "all other data" by what precedes it."""
    counted: list[Finding] = []
    previous_scope: str | None = None
    for finding in (f for f in findings if f.topic == "retention"):
        scope = next((c for c in finding.cues if c.startswith("scope.")), "scope.general")
        if scope == "scope.residual":
            # "All other ALPR data ..." after a rule for evidence data (or for logs, or
            # first of all) includes the non-hit data; after a rule for non-hit data it
            # means the hit/evidence remainder.
            if previous_scope not in ("scope.nonhit", "scope.general"):
                counted.append(finding)
            continue
        if scope in _COUNTED:
            counted.append(finding)
        previous_scope = scope
    return counted


@register_scorer("retention")
def score(findings: list[Finding], criterion: Criterion) -> Verdict:
    """The level of a firm limit comes from the criterion's bands (``max_days`` of its
    strong and partial levels), so a rubric can ask for 7 days instead of 30."""
    counted = _counted(findings)
    limits = having(counted, "retention.limit")
    indefinite = having(counted, "retention.indefinite")
    if limits:
        longest = max(limits, key=lambda f: max(d.days for d in f.durations))
        days = max(d.days for d in longest.durations)
        shortest = min(limits, key=lambda f: min(d.days for d in f.durations))
        conflicts = []
        if min(d.days for d in shortest.durations) != days:
            conflicts.append((
                f"Two retention periods for the same data: the longer one ({days} days) counts.",
                shortest, longest,
            ))  # fmt: skip
        if indefinite:
            conflicts.append((
                "A fixed limit is undercut by a clause that lets the same data be kept "
                "without one; the weaker reading decides.",
                longest, indefinite[0],
            ))  # fmt: skip
            return Verdict(
                Level.WEAK, "retention.indefinite-overrides-limit",
                f"The policy sets a limit of {days} days ({quote(longest)}) but also lets the "
                f"same data be kept with no limit ({quote(indefinite[0])}), so there is no "
                "enforceable maximum.",
                [indefinite[0], longest], conflicts, {"retention_days": None},
            )  # fmt: skip
        level, band = _band(days, criterion)
        return Verdict(
            level, f"retention.limit-{level.value}",
            f"The policy requires ALPR data not tied to a hit or investigation to be destroyed "
            f"after {days} days ({quote(longest)}): a mandatory limit of {band}.",
            [longest, *[f for f in limits if f is not longest]], conflicts,
            {"retention_days": days},
        )  # fmt: skip
    if counted:
        rule, why, decisive = _why_no_limit(counted)
        evidence = unique([decisive, *counted])[:3]  # the deciding clause first
        return Verdict(Level.WEAK, rule, why, evidence, [], {"retention_days": None})
    hit_only = having(findings, "scope.hit", topic="retention")
    if hit_only:
        return Verdict(
            Level.WEAK, "retention.hit-data-only",
            "The policy speaks only of keeping hit, evidence or case data "
            f"({quote(hit_only[0])}); it sets no limit for data not tied to a hit.",
            hit_only[:2], [], {"retention_days": None},
        )  # fmt: skip
    return Verdict(
        Level.MISSING, "retention.not-addressed",
        "The policy says nothing about how long ALPR data is kept or when it is destroyed.",
        facts={"retention_days": None},
    )  # fmt: skip


def _band(days: int, criterion: Criterion) -> tuple[Level, str]:
    strong = criterion.levels[Level.STRONG].max_days
    partial = criterion.levels[Level.PARTIAL].max_days
    assert strong is not None and partial is not None  # checked when the rubric loads
    if days <= strong:
        return Level.STRONG, f"{strong} days or less"
    if days <= partial:
        return Level.PARTIAL, f"{strong + 1}–{partial} days"
    return Level.WEAK, f"over {partial} days"


def _why_no_limit(counted: list[Finding]) -> tuple[str, str, Finding]:
    first = counted[0]
    for cue, rule, text in (
        ("retention.indefinite", "retention.indefinite",
         "lets ALPR data be kept with no fixed end"),
        ("retention.min_only", "retention.minimum-only",
         "gives only a minimum retention period, never a maximum"),
        ("retention.discretionary", "retention.discretionary-deletion",
         "leaves deletion to discretion (\u201cmay\u201d or \u201cshould\u201d), "
         "which sets no maximum"),
        ("retention.deferral", "retention.deferred-to-schedule",
         "defers to a retention schedule or policy without stating a period"),
        ("retention.no_period", "retention.no-period",
         "speaks of storing or purging ALPR data without saying after how long"),
    ):  # fmt: skip
        matching = having(counted, cue)
        if matching:
            why = f"The policy {text} ({quote(matching[0])}), so there is no limit."
            return rule, why, matching[0]
    why = f"The policy addresses retention ({quote(first)}) with no limit."
    return "retention.no-limit", why, first
