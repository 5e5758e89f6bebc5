"""``sharing``: is sharing with outside agencies and people limited?

Strong needs all three parts: recipients closed to (law-enforcement) public agencies, a
process for each disclosure (need/right to know, documented request, approval or written
agreement), and an express ban on giving the data to private persons or entities. Any broad
permission (any agency, "as deemed appropriate", a nationwide network or vendor licence, a
pooled database, private parties allowed, an open list of agencies with access) makes it
weak, whatever else the policy says: the weaker reading decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Finding, Level
from ..registry import register_scorer
from .verdict import Verdict, having, quote, unique

if TYPE_CHECKING:
    from ..rubric import Criterion

_BROAD = {
    "sharing.broad": "permits sharing broadly",
    "sharing.network": "joins a nationwide or national sharing network",
    "sharing.vendor_license":
        "licenses the vendor to disclose the data or give others search access",
    "sharing.pooled": "stores the data in a pooled, multi-agency database others can search",
    "sharing.private_allowed": "lets private parties receive the data",
}
_LIMITS = (
    "sharing.le_only", "sharing.in_state_only", "sharing.process", "sharing.sale_ban",
    "sharing.private_ban", "sharing.recipient_restriction", "sharing.no_recipients",
    "sharing.closed_list",
)  # fmt: skip


@register_scorer("sharing")
def score(findings: list[Finding], criterion: Criterion | None = None) -> Verdict:
    del criterion  # this scorer has no rubric-set thresholds
    sharing = [f for f in findings if f.topic == "sharing"]
    if not sharing:
        return Verdict(Level.MISSING, "sharing.not-addressed",
                       "The policy says nothing about sharing ALPR data outside the agency.")
    limits = having(sharing, *_LIMITS)
    narrowing = having(sharing, "sharing.in_state_only", "sharing.recipient_restriction")
    weak = [(cue, f) for f in sharing for cue in f.cues if cue in _BROAD]
    grant_lists = having(sharing, "sharing.grant_list")
    if grant_lists and not narrowing:
        weak.append(("sharing.grant_list", grant_lists[0]))
    if weak:
        cue, trigger = weak[0]
        what = _BROAD.get(cue, "gives standing access to a list of outside agencies with no "
                               "stated rule limiting who they are")  # fmt: skip
        conflicts = []
        if limits:
            conflicts.append((
                "A limit on sharing is undercut by a broad permission; the weaker reading decides.",
                limits[0], trigger,
            ))  # fmt: skip
        return Verdict(
            Level.WEAK, cue.replace("sharing.", "sharing.weak-"),
            f"The policy {what} ({quote(trigger)}).",
            unique([trigger, *grant_lists[:1], *limits[:2]])[:3], conflicts,
        )  # fmt: skip
    closed = having(sharing, "sharing.le_only", "sharing.closed_list")
    process = having(sharing, "sharing.process")
    private_ban = having(sharing, "sharing.private_ban")
    if closed and process and private_ban:
        return Verdict(
            Level.STRONG, "sharing.strong-all-three",
            f"Sharing is limited to law-enforcement agencies ({quote(closed[0])}), each "
            f"disclosure needs a documented request or approval ({quote(process[0])}), and "
            "giving the data to private persons or entities is forbidden "
            f"({quote(private_ban[0])}).",
            unique([closed[0], process[0], private_ban[0]]),
        )  # fmt: skip
    parts = (
        ("recipients limited to law-enforcement agencies only", closed),
        ("a request or approval process", process),
        ("a ban on private release", private_ban),
    )
    present = [name for name, group in parts if group]
    if narrowing and not closed:
        present.insert(0, "some recipients barred")
    absent = [name for name, group in parts if not group]
    # The list of who has access is the plainest sharing fact a page states: quote it too.
    evidence = unique([*(limits or sharing)[:2], *grant_lists[:1], *limits[2:]])[:3]
    if not limits:
        reason = (f"The policy speaks of outside requests or release ({quote(sharing[0])}) "
                  "without any broad permission, but sets no clear limit on recipients.")
    else:
        reason = (f"The policy sets some real limits ({', '.join(present) or 'a ban on sale'}: "
                  f"{quote(evidence[0])}) but lacks {', '.join(absent)}.")
    return Verdict(Level.PARTIAL, "sharing.partial-some-limits", reason, evidence)
