"""Immigration clauses: bans on using or sharing ALPR data for immigration enforcement.

Cues:
- ``immigration.use_ban``: the data may not be *used* for immigration enforcement (a
  negated use, or "immigration enforcement" in a list of prohibited uses)
- ``immigration.share_ban``: it may not be *shared* for it (a negated share naming
  immigration, ICE/CBP/DHS, or all federal agencies, which is a superset; searches for
  federal agencies barred; the data filtered out of immigration searches)
- ``immigration.by_reference``: a ban only by naming a law (Values Act, a sanctuary ordinance)
- ``immigration.exception``: the ban carries an exception that can swallow it ("except as
  required by law", "unless approved by the Chief"); ``immigration.judicial_exception``:
  an exception only for a judicial warrant or court order, which keeps the ban whole
- ``immigration.allowed``: sharing with immigration authorities expressly allowed
- ``immigration.civil_only``: the ban covers *civil* immigration enforcement only
- ``immigration.carve_out``: a sentence keeping immigration work open ("nothing in this
  section prevents ...")
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Finding
from ..prefilter import fast_pattern
from ..registry import register_detector
from .clause import EXCEPTION_RE, exception_kinds, read_clause
from .common import SHARE_RE, in_prohibited_list, make_finding
from .recipients import find_recipients, kinds

if TYPE_CHECKING:
    from . import Clause

TRIGGERS = (
    "immigration", "immigrant", "immigrants", "ICE", "deportation", "CBP", "border patrol",
    "homeland security", "DHS", "federal", "values act", "sb 54", "senate bill 54", "7284",
    "sanctuary", "trust act", "out-of-state", "out of state", "undocumented",
)  # fmt: skip

IMMIGRATION_RE = fast_pattern(
    r"(?i:\bimmigra\w*|\bdeport\w*|\bundocumented\b|\bcitizenship\s+status\b|\bremoval\s+"
    r"proceedings\b|\bcustoms\s+and\s+border\b|\bborder\s+patrol\b|\bhomeland\s+security\s+"
    r"investigations\b)|\bICE\b|\bCBP\b|\bHSI\b"
)
_REFERENCE_RE = fast_pattern(
    r"(?i)\b(?:values\s+act|SB\s*54|senate\s+bill\s*54|7284(?:\.\d+)?|sanctuary|trust\s+act|"
    r"welcoming\s+(?:city|ordinance)|keep\s+\w+\s+families\s+safe)\b"
)
_COMPLY_RE = fast_pattern(
    r"(?i)\b(?:compl(?:y|ies|iance)|accordance|consistent\s+with|pursuant\s+to|adhere\w*|"
    r"abide)\b"
)
_USE_RE = fast_pattern(r"(?i)\b(?:use[ds]?|using|usage|utiliz\w+|assist\w*|purposes?\s+of)\b")
_SHARE_SIDE_RE = fast_pattern(
    r"(?i)\bfilter\w*\s+out\b|\bsearch(?:es)?\b|\bprovid\w+\b|\brequests?\b|"
    r"\bquer(?:y|ies)\b|\bon\s+behalf\s+of\b"
)
# "This section does not prevent ...", "Nothing in this policy prohibits ...": the sentence
# keeps something open, it bans nothing.
_CARVE_OUT_RE = fast_pattern(
    r"(?i)\b(?:does|do|shall|will|is\s+not\s+intended\s+to)\s+not\s+(?:prevent|prohibit|preclude|"
    r"restrict|limit|bar)\b|\bnothing\s+in\s+this\b.{0,60}?\b(?:prevents?|prohibits?|"
    r"precludes?|restricts?|limits?|bars?)\b"
)
_PROHIBITION_RE = fast_pattern(
    r"(?i)\b(?:prohibit\w*|forbid\w*|illegal|unlawful|not\s+(?:permitted|"
    r"allowed|authorized)|shall\s+not|may\s+not|must\s+not|will\s+not|"
    r"cannot|never|filtered\s+out)\b"
)


@register_detector("immigration", TRIGGERS)
def read(clause: Clause) -> list[Finding]:
    text = clause.text
    if text.rstrip().endswith("?"):
        return []
    immigration = IMMIGRATION_RE.search(text)
    recipients = find_recipients(text, clause.start)
    found = kinds(recipients)
    listed = in_prohibited_list(clause)
    cues: list[str] = []
    share = SHARE_RE.search(text)
    share_negated = share is not None and any(
        read_clause(text, m.start(), m.end()).negated for m in SHARE_RE.finditer(text)
    )
    # A statement of practice forbids too: "The Department does not use ALPR data for ...".
    use_negated = any(read_clause(text, m.start(), m.end()).negated for m in _USE_RE.finditer(text))
    prohibiting = (listed or share_negated or use_negated or bool(_PROHIBITION_RE.search(text))) \
        and not _CARVE_OUT_RE.search(text)
    if immigration is not None and _CARVE_OUT_RE.search(text):
        # "Nothing in this section prevents sharing with immigration authorities when ...":
        # a carve-out from a ban, which a ban elsewhere cannot undo.
        cues.append("immigration.carve_out")
    elif immigration is not None:
        if prohibiting:
            cues.extend(_ban_cues(text, listed, share, share_negated))
        elif share is not None:
            cues.append("immigration.allowed")
    elif (
        prohibiting
        and found & {"federal", "immigration"}
        and (share_negated or (listed and share))
    ):
        # Barring every federal agency bars the immigration ones too.
        cues.append("immigration.share_ban")
    if not cues and (prohibiting or _COMPLY_RE.search(text)) and _REFERENCE_RE.search(text):
        cues.append("immigration.by_reference")
    if not cues:
        return []
    if _civil_only(text) and ("immigration.use_ban" in cues or "immigration.share_ban" in cues):
        cues.append("immigration.civil_only")
    if "immigration.allowed" not in cues:
        cues.extend(_exception_cues(text, immigration))
    reading = read_clause(text, *(immigration.span() if immigration else (0, 0)))
    return [make_finding(clause, "immigration", cues, reading, recipients=recipients)]


def _civil_only(text: str) -> bool:
    """A ban on *civil* immigration enforcement only leaves criminal immigration enforcement
    (and the agencies doing it) open: every mention of immigration is qualified as civil."""
    mentions = list(IMMIGRATION_RE.finditer(text))
    return bool(mentions) and all(
        re.search(r"(?i)\bcivil\s+(?:\w+\s+)?$", text[max(0, m.start() - 20) : m.start()])
        for m in mentions
    )


def _ban_cues(
    text: str, listed: bool, share: re.Match[str] | None, share_negated: bool
) -> list[str]:
    """Which sides (use, share) a prohibition naming immigration covers. Each mention is
    read with the words since the previous one: "filtered out of immigration searches,
    and officers may not use ALPR to assist immigration enforcement" bans both."""
    cues: list[str] = []
    previous_end = 0
    for mention in IMMIGRATION_RE.finditer(text):
        before = text[previous_end : mention.start()]
        previous_end = mention.end()
        share_side = bool(share_negated or _SHARE_SIDE_RE.search(before) or share)
        if share_negated or _SHARE_SIDE_RE.search(before) or (share and not listed):
            cues.append("immigration.share_ban")
        if _USE_RE.search(before) or listed or not share_side:
            cues.append("immigration.use_ban")
    return list(dict.fromkeys(cues))


def _exception_cues(text: str, key: re.Match[str] | None) -> list[str]:
    """An exception anywhere in the ban's clause: judicial ones keep it, others swallow it."""
    phrases = [
        re.split(r"(?<=[.;])\s", text[m.start() :], maxsplit=1)[0][:200]
        for m in EXCEPTION_RE.finditer(text)
        if not re.match(r"(?i)subject\s+to|however", m.group(0))
    ]
    if not phrases:
        return []
    found = exception_kinds(phrases)
    if all(kind == "judicial" for kind in found):
        return ["immigration.judicial_exception"]
    return ["immigration.exception"]
