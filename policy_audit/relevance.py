"""Is this document about license plate readers at all?

A recipe or a website's privacy policy would otherwise be scored like a policy with every
safeguard missing (0, grade F), which reads as a finding about a police department. The
test is the vocabulary every ALPR policy uses for its subject, whatever it calls it: the
reader ("automated license plate reader", "plate recognition", "ALPR", "LPR", "ANPR"), what
it produces ("plate reads", "plate scans", "plate images") or what it checks against ("hot
lists"). "License plate" alone is not enough: a parking or fleet policy names plates without
any reader. One mention suffices, so a policy that names its subject once, in its title, is
still scored.
"""

from __future__ import annotations

import re

from .errors import NotAPolicyError
from .models import SourceText

# Acronyms are matched with their case (``lpr`` inside a word or URL is not one).
_ACRONYMS = re.compile(r"\b(?:A?LPRs?|ANPRs?|ALPR(?:s|'s)?)\b")
_PLATE = r"(?:licen[cs]e|number|registration|vehicle|tag)?[\s-]*plates?"
_PHRASES = re.compile(
    r"(?i)\b(?:"
    rf"{_PLATE}[\s-]*(?:readers?|reading|recogni[sz]ing|recogni[sz]ation|recognition"
    r"|scan(?:s|ners?|ning)?|cameras?|reads|hits|detections?|captures?|images?|data"
    r"|numbers?\s+(?:read|scanned|captured))"
    r"|(?:automated|automatic)\s+(?:licen[cs]e|number)\s+plate"
    r"|hot[\s-]?lists?"
    r")\b"
)
TERMS_FOR_PEOPLE = "license plate readers (ALPR, LPR, plate scans, plate reads, hot lists)"


def alpr_mentions(text: str) -> list[str]:
    """The ALPR words the text uses, in order (at most a few: one is enough to decide)."""
    found: list[str] = []
    for pattern in (_ACRONYMS, _PHRASES):
        for match in pattern.finditer(text):
            found.append(match.group(0))
            if len(found) >= 5:
                return found
    return found


def is_about_alpr(text: str) -> bool:
    return bool(alpr_mentions(text))


def screen(source: SourceText, *, force: bool = False) -> str | None:
    """Refuse (``NotAPolicyError``) a document that never mentions license plate readers;
    with ``force``, return the warning its scorecard must carry instead."""
    if is_about_alpr(source.text):
        return None
    if force:
        return (f"This document never mentions {TERMS_FOR_PEOPLE}; it was scored only "
                "because that was asked for, and its grade says nothing about an ALPR policy.")
    raise NotAPolicyError(
            f"{source.name}: this does not look like an ALPR policy: it never mentions "
            f"{TERMS_FOR_PEOPLE}, so it was not scored. If it is one, score it anyway with "
            "--force (web form: 'Score it anyway'; API: force=true)."
        )
