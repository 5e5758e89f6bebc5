"""Whose policy is this? The agency's name, read from the document itself.

Scorecards are read by people who think in agencies ("Oakland Police Department"), not file
names. The name is looked for where documents put it, in this order:

1. a short line near the top that names an agency (a letterhead, a portal's title line);
2. the line just above a "Transparency Portal" title (vendor pages name the agency there,
   in whatever form the agency chose: "NCRIC", "City of Westlake (TX)");
3. the agency named most often in the text ("the East Palo Alto Police Department …"),
   which finds it even when PDF extraction dropped the running header that carried it.

None when nothing looks like an agency: the reports then fall back to the file name.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from .first_char import guarded

# Words that make a name an agency's.
_AGENCY_NOUN = (
    r"(?:Police(?:\s+(?:Department|Dept\.?|Bureau|Service|Division))?|PD|P\.D\.|"
    r"Sheriff['’]?s?(?:\s+(?:Office|Department|Dept\.?))?|S\.?O\.?|"
    r"Department\s+of\s+(?:Public\s+Safety|Law\s+Enforcement)|Public\s+Safety(?:\s+Department)?|"
    r"DPS|Marshal['’]?s?(?:\s+Office)?|(?:Highway|State)\s+Patrol|State\s+Police|"
    r"Constable['’]?s?(?:\s+Office)?|(?:Regional\s+)?Intelligence\s+Center|Fusion\s+Center)"
)
_SHORT_LINE = re.compile(rf"(?i)(?<![\w-]){_AGENCY_NOUN}(?![\w-])")
# A capitalised name before the agency noun, on one line: "West St. Paul Police Department".
# Guarded (``first_char``): it runs over the whole text, and skipping positions where no
# name can start saves a quarter of its time, with the same matches.
_NAMED = re.compile(guarded(
    r"((?:(?:[A-Z][\w.'’-]*|of|de|la|del)[ \t]+){1,6}?"
    rf"{_AGENCY_NOUN.replace('(?:', '(?:', 1)})(?![\w-])"
))
# Lines that name a document, not an agency ("Police Department Policy Manual").
_NOT_A_NAME = re.compile(
    r"(?i)\b(?:polic(?:y|ies)|manual|procedures?|portal|guidelines?|statute|section|chapter|"
    r"order|questions?|alpr|lpr|license|plate|readers?|agreement|form|page|effective|"
    r"updated|approved|revised)\b"
)
_LEADING = re.compile(r"^(?:(?:The|A|An|This|Our|Each|Every|All|By|For|With|From|And|Of|"
                      r"Contact|Dear)\s++)++|^[A-Z]\.\s+")
_TRAILING = re.compile(r"\s*\[[^\]]*+\]\s*$")  # "Columbia Heights MN PD [Inactive]"
TOP_LINES = 12
MAX_WORDS = 9


def _clean(name: str) -> str:
    name = _TRAILING.sub("", " ".join(name.split()))
    previous = None
    while previous != name:
        previous, name = name, _LEADING.sub("", name)
    name = name.strip(" ,;:-–—")
    if name.isupper() and sum(len(word) > 3 for word in name.split()) >= 2:
        # A letterhead in capitals: "OAKDALE POLICE DEPARTMENT" reads better in title case;
        # short words stay as they are (PD, SO, CA).
        name = " ".join(w.capitalize() if len(w) > 3 else w for w in name.split())
    return name


def agency_name(text: str) -> str | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    top = lines[:TOP_LINES]
    for line in top:
        words = line.split()
        if (len(words) <= MAX_WORDS and _SHORT_LINE.search(line)
                and not _NOT_A_NAME.search(line) and line[:1].isupper()):
            return _clean(line)
    for before, line in itertools.pairwise(top):
        if re.fullmatch(r"(?i)transparency\s+portal", line) and len(before.split()) <= MAX_WORDS:
            return _clean(before)
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for match in _NAMED.finditer(text[:200_000]):
        name = _clean(match.group(1))
        words = name.split()
        if len(words) < 2 or words[0].lower() in {"police", "sheriff"}:
            continue  # "Police Department" alone names no agency
        counts[name] += 1
        first_seen.setdefault(name, match.start())
    if not counts:
        return None
    return max(counts, key=lambda name: (counts[name], -first_seen[name]))
