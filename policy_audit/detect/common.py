"""Small pieces the topic readers share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Finding
from ..prefilter import fast_pattern
from .clause import Reading, read_lead_in

if TYPE_CHECKING:
    from ..segment import Line
    from . import Clause

SHARE_VERB = (
    r"shar(?:e|es|ed|ing)|disseminat\w+|releas(?:e|es|ed|ing)|disclos(?:e|es|ed|ing|ure)|"
    r"transmi(?:t|ts|tted|ttal)|transfer(?:s|red)?|provid(?:e|es|ed|ing)\s+(?:\w+\s+){0,3}?access|"
    r"provid(?:e|es|ed|ing)\s+to|"
    r"(?:granted|given|gives?|grant)\s+access|make\s+available|made\s+available|sell|sells|sold|"
    r"sale|trad(?:e|es|ed)|giv(?:e|en)\s+to|access(?:ed)?\s+by|search(?:es)?\s+(?:for|on\s+behalf)|"
    r"obtain(?:s|ed)?"
)
SHARE_RE = fast_pattern(rf"(?i)\b(?:{SHARE_VERB})\b")
SALE_RE = fast_pattern(r"(?i)\b(?:sell|sells|sold|sale|trad(?:e|es|ed))\b")
PROHIBITED_CONTEXT_RE = fast_pattern(
    r"(?i)\b(?:prohibit\w*|restricted\s+uses?|unauthorized\s+uses?|not\s+(?:permitted|allowed)|"
    r"forbidden|illegal|unlawful)\b"
)


_MAX_ITEMS_BACK = 40


def list_head(clause: Clause) -> Line | None:
    """The line a list item hangs from (walking back over sibling items), or, for the line
    right after a lead-in, that lead-in."""
    if clause.line.kind != "item":
        if clause.start != clause.line.start:
            return None  # a later sentence of a body line stands on its own
        previous = clause.neighbour(-1)
        ends = previous is not None and previous.text.rstrip().endswith(":")
        return previous if ends else None
    for step in range(1, _MAX_ITEMS_BACK + 1):
        line = clause.neighbour(-step)
        if line is None or line.kind != "item":
            return line
    return None


def in_prohibited_list(clause: Clause) -> bool:
    """Under a "Prohibited Uses" heading or label, or a lead-in that forbids ("The system
    shall not be used for the following:"), a bare list item is a prohibition."""
    if any(text is not None and PROHIBITED_CONTEXT_RE.search(text)
           for text in (clause.label, clause.section)):  # fmt: skip
        return True
    head = list_head(clause)
    if head is None or not (head.text.rstrip().endswith(":") or clause.line.kind == "item"):
        return False
    if PROHIBITED_CONTEXT_RE.search(head.text):
        return True
    lead = read_lead_in(head.text) if head.text.rstrip().endswith(":") else None
    return lead is not None and lead.negated


def make_finding(
    clause: Clause,
    topic: str,
    cues: list[str],
    reading: Reading | None = None,
    **extra: object,
) -> Finding:
    return Finding(
        topic=topic,
        text=clause.text,
        start=clause.start,
        end=clause.end,
        section=clause.section,
        modality=reading.modality if reading else "fact",
        negated=reading.negated if reading else False,
        exceptions=list(reading.exceptions) if reading else [],
        reading_rule=reading.rule if reading else None,
        cues=cues,
        **extra,  # recipients=… / durations=…, checked by pydantic
    )
