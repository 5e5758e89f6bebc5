"""``immigration``: is ALPR data kept from immigration enforcement?

Strong needs a ban on both using and sharing the data for immigration enforcement (a
ban on sharing with every federal agency covers the sharing half); an exception only for
a judicial warrant or court order keeps it strong, any broader one ("as required by law",
"unless the Chief approves") lowers it to partial. A ban on one half only, or one made
only by naming a law, is partial. With no ban, express federal or unlimited sharing, a
nationwide network or a vendor licence to give others search access make it weak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Finding, Level
from ..registry import register_scorer
from .verdict import Verdict, having, quote, unique

if TYPE_CHECKING:
    from ..rubric import Criterion

_OPEN_DOORS = (
    "immigration.allowed", "sharing.federal_allowed", "sharing.network", "sharing.broad",
    "sharing.vendor_license", "sharing.out_of_state_allowed",
)  # fmt: skip


@register_scorer("immigration")
def score(findings: list[Finding], criterion: Criterion | None = None) -> Verdict:
    del criterion  # this scorer has no rubric-set thresholds
    use = having(findings, "immigration.use_ban")
    share = having(findings, "immigration.share_ban")
    reference = having(findings, "immigration.by_reference")
    swallowing = having(use + share, "immigration.exception") + having(
        findings, "immigration.carve_out")
    civil = unique(having(use + share, "immigration.civil_only"))
    if use and share and civil and not swallowing and len(civil) == len(unique(use + share)):
        return Verdict(
            Level.PARTIAL, "immigration.civil-only-ban",
            f"The policy bars using and sharing ALPR data for civil immigration enforcement "
            f"only ({quote(civil[0])}); criminal immigration enforcement, and the federal "
            "agencies that do it, are left open.", unique([*civil, use[0], share[0]])[:3],
        )  # fmt: skip
    if use and share:
        evidence = unique([use[0], share[0], *swallowing[:1]])
        if swallowing:
            return Verdict(
                Level.PARTIAL, "immigration.ban-with-broad-exception",
                f"The policy bars using and sharing ALPR data for immigration enforcement, but "
                f"an exception can swallow the ban ({quote(swallowing[0])}).", evidence,
            )  # fmt: skip
        both = use[0] is share[0]
        reason = (f"The policy bars both using and sharing ALPR data for immigration "
                  f"enforcement ({quote(use[0])}" + ("" if both else f"; {quote(share[0])}") + ").")
        return Verdict(Level.STRONG, "immigration.use-and-share-ban", reason, evidence)
    if use or share:
        half, other = ("using", "sharing") if use else ("sharing", "using")
        ban = (use or share)[0]
        return Verdict(
            Level.PARTIAL, f"immigration.{half[:-3]}e-ban-only",
            f"The policy bars {half} ALPR data for immigration enforcement ({quote(ban)}) but "
            f"says nothing of {other} it for that purpose.", [ban],
        )  # fmt: skip
    if reference:
        return Verdict(
            Level.PARTIAL, "immigration.ban-by-reference",
            f"The policy forbids immigration enforcement only by naming a law "
            f"({quote(reference[0])}), without saying what it forbids.", [reference[0]],
        )  # fmt: skip
    doors = having(findings, *_OPEN_DOORS)
    if doors:
        return Verdict(
            Level.WEAK, "immigration.no-ban-open-sharing",
            f"The policy has no immigration ban and lets the data reach federal or any "
            f"law-enforcement agencies ({quote(doors[0])}).", doors[:2],
        )  # fmt: skip
    return Verdict(
        Level.MISSING, "immigration.not-addressed",
        "The policy does not mention immigration enforcement, and allows no broad sharing "
        "that would reach federal immigration authorities.",
    )  # fmt: skip
