"""``reporting``: does the public learn how ALPR is used?

Strong needs both a public report (at least yearly) with usage figures and the policy
itself published. Either one alone, a report to a council or oversight body, or a
periodic summary of use with no stated audience is partial. Reporting that stays inside
the department (audits to the Chief or command staff) is weak. Clauses add up: the
highest level any combination meets is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Finding, Level
from ..registry import register_scorer
from .verdict import Verdict, having, quote, unique

if TYPE_CHECKING:
    from ..rubric import Criterion


@register_scorer("reporting")
def score(findings: list[Finding], criterion: Criterion | None = None) -> Verdict:
    del criterion  # this scorer has no rubric-set thresholds
    figures = having(findings, "reporting.public_figures")
    published = having(findings, "reporting.policy_published")
    if figures and published:
        return Verdict(
            Level.STRONG, "reporting.public-figures-and-published-policy",
            f"Usage figures are made public ({quote(figures[0])}) and the policy itself is "
            f"published ({quote(published[0])}).", unique([figures[0], published[0]]),
        )  # fmt: skip
    partial = [
        (figures,
         "usage figures are made public, but the policy itself is not said to be published"),
        (published, "the policy is published, but no public report with usage figures is required"),
        (having(findings, "reporting.public_report"),
         "a public report is required, but it is not said to carry usage figures"),
        (having(findings, "reporting.oversight_report"),
         "reports go to a council or oversight body, but are not said to be public"),
        (having(findings, "reporting.summary"),
         "a periodic summary of use is required, with no stated audience"),
    ]  # fmt: skip
    for group, why in partial:
        if group:
            return Verdict(Level.PARTIAL, "reporting.partial", f"{why[0].upper()}{why[1:]} "
                           f"({quote(group[0])}).", group[:2])  # fmt: skip
    internal = having(findings, "reporting.internal")
    if internal:
        return Verdict(
            Level.WEAK, "reporting.internal-only",
            f"Audits or reports stay inside the department ({quote(internal[0])}); the public "
            "learns nothing.", internal[:2],
        )  # fmt: skip
    return Verdict(Level.MISSING, "reporting.not-addressed",
                   "The policy requires no public reporting and does not say it is published.")
