"""Find periods of time in legal prose and normalise them to days.

Handles "thirty (30) days", "one (1) year", "eighteen months", "72 hours", "2 yrs",
"a period not to exceed one year", "twenty-four (24) months", "1,095 days", "30-day".
Conversions follow core-criteria.md: 1 year = 365 days, months in whole years count as
years (24 months = 730), other months 30 days each (18 months = 540), weeks 7 days, and
hours or minutes round up to whole days. Bounds ("at least" vs "no later than") matter:
a minimum is not a limit.
"""

from __future__ import annotations

import math
import re

from ..models import Duration

_UNITS = {
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
    "day": "day", "days": "day",
    "week": "week", "weeks": "week", "wk": "week", "wks": "week",
    "month": "month", "months": "month", "mo": "month", "mos": "month",
    "year": "year", "years": "year", "yr": "year", "yrs": "year",
}  # fmt: skip
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD = "|".join(sorted([*_SMALL, "hundred", "thousand"], key=len, reverse=True))
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))

# Numbers are bounded (nine digits; a longer run is no period of time, and an unbounded one
# overflowed the conversion to days): see ``tests/test_regex_safety.py``.
DURATION_RE = re.compile(
    rf"""(?ix)
    (?<![\w.])
    (?P<num>
        \d{{1,3}}(?:,\d{{3}}){{1,3}} | \d{{1,9}}(?:\.\d{{1,6}})?
      | (?:{_WORD})(?:[\s-]++(?:and[\s-]++)?(?:{_WORD}))*
      | an?(?=\s+(?:calendar\s+)?(?:year|month|week|day|hour)\b)
    )
    \s*+(?:\(\s*(?P<digits>\d[\d,]{{0,12}})\s*\))?
    [\s-]*(?:(?:calendar|business|consecutive|working)\s+)?
    (?P<unit>{_UNIT})\b
    """
)

_MIN_RE = re.compile(
    r"(?i)\b(?:minimum(?:\s+period)?\s+of|at\s+least|not\s+less\s+than|no\s+less\s+than|"
    r"no\s+fewer\s+than|not\s+fewer\s+than|or\s+more|or\s+longer|for\s+not\s+less)\b[^.;]{0,25}$"
)
_MAX_RE = re.compile(
    r"(?i)\b(?:maximum(?:\s+period)?\s+of|no\s+(?:later|longer|more)\s+than|not\s+(?:later|longer|more)"
    r"\s+than|not\s+to\s+exceed|not\s+exceeding|(?:shall|must|will|may)\s+not\s+exceed|up\s+to|"
    r"within|at\s+(?:the\s+)?most|after|following|older\s+than|beyond|only)\b[^.;]{0,30}$"
)

_FREQUENCY_RE = re.compile(r"(?i)\b(?:every|each|once\s+(?:a|per|every)|per)\s*$")


def words_to_int(words: str) -> int | None:
    """'twenty-four' → 24, 'one hundred eighty' → 180, 'a' → 1; None if not a number."""
    text = words.lower().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return math.ceil(float(text))
    if text in ("a", "an"):
        return 1
    total = current = 0
    seen = False
    for part in re.split(r"[\s-]+", text):
        if part == "and" or not part:
            continue
        if part in _SMALL:
            current += _SMALL[part]
        elif part == "hundred":
            current = max(current, 1) * 100
        elif part == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def to_days(amount: float, unit: str) -> int:
    if unit == "year":
        return math.ceil(amount * 365)
    if unit == "month":
        return math.ceil(amount / 12 * 365) if amount % 12 == 0 else math.ceil(amount * 30)
    if unit == "week":
        return math.ceil(amount * 7)
    if unit == "day":
        return math.ceil(amount)
    if unit == "hour":
        return max(1, math.ceil(amount / 24))
    return max(1, math.ceil(amount / 1440))  # minutes


def find_durations(text: str, offset: int = 0) -> list[Duration]:
    """Every duration in ``text``; offsets are shifted by ``offset`` (the clause's start)."""
    found: list[Duration] = []
    for match in DURATION_RE.finditer(text):
        value = words_to_int(match["num"])
        digits = int(match["digits"].replace(",", "")) if match["digits"] else None
        if value is None and digits is None:
            continue
        # Where words and digits disagree ("thirty (13) days") trust neither silently:
        # take the longer (the weaker reading) and flag it.
        conflict = value is not None and digits is not None and value != digits
        amount = max(v for v in (value, digits) if v is not None)
        unit = _UNITS[match["unit"].lower()]
        before = text[max(0, match.start() - 45) : match.start()]
        bound = "min" if _MIN_RE.search(before) else "max" if _MAX_RE.search(before) else "exact"
        if _FREQUENCY_RE.search(before):
            bound = "every"  # "every two years": how often, not how long
        after = text[match.end() : match.end() + 20].lower()
        if re.match(r"\s*(?:or\s+(?:more|longer)|minimum)\b", after):
            bound = "min"
        found.append(
            Duration(
                text=match.group(0).strip(),
                days=to_days(amount, unit),
                start=offset + match.start(),
                end=offset + match.start() + len(match.group(0).rstrip()),
                bound=bound,
                conflict=conflict,
            )
        )
    return found
