"""Small pieces the topic readers share."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Finding
from .clause import Reading

if TYPE_CHECKING:
    from . import Clause

SHARE_VERB = (
    r"shar(?:e|es|ed|ing)|disseminat\w+|releas(?:e|es|ed|ing)|disclos(?:e|es|ed|ing|ure)|"
    r"transmi(?:t|ts|tted|ttal)|transfer(?:s|red)?|provid(?:e|es|ed|ing)\s+(?:\w+\s+){0,3}?access|"
    r"provid(?:e|es|ed|ing)\s+to|"
    r"(?:granted|given|gives?|grant)\s+access|make\s+available|made\s+available|sell|sells|sold|"
    r"sale|trad(?:e|es|ed)|giv(?:e|en)\s+to|access(?:ed)?\s+by|search(?:es)?\s+(?:for|on\s+behalf)|"
    r"obtain(?:s|ed)?"
)
SHARE_RE = re.compile(rf"(?i)\b(?:{SHARE_VERB})\b")
SALE_RE = re.compile(r"(?i)\b(?:sell|sells|sold|sale|trad(?:e|es|ed))\b")
PROHIBITED_CONTEXT_RE = re.compile(
    r"(?i)\b(?:prohibit\w*|restricted\s+uses?|unauthorized\s+uses?|not\s+(?:permitted|allowed)|"
    r"forbidden|illegal|unlawful)\b"
)


def in_prohibited_list(clause: Clause) -> bool:
    """Under a "Prohibited Uses" heading or label, a bare list item is a prohibition."""
    return any(
        text is not None and PROHIBITED_CONTEXT_RE.search(text)
        for text in (clause.label, clause.section)
    ) or bool(PROHIBITED_CONTEXT_RE.search(_previous_line_text(clause)))


def _previous_line_text(clause: Clause) -> str:
    previous = clause.neighbour(-1)
    if previous is None or (previous.kind == "body" and clause.line.kind == "body"):
        return ""
    return previous.text if previous.text.rstrip().endswith(":") else ""


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
        cues=cues,
        **extra,  # type: ignore[arg-type]
    )
