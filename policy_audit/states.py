"""The U.S. states: postal codes and names, and which state an agency's name belongs to.

One table for every reader (recipients, portal access lists, state-law checks).
"""

from __future__ import annotations

import re

# Postal codes and names of the states, to tell which agencies in a portal's list of
# agencies granted access belong to another state ("Acworth GA PD", "Florida Highway Patrol").
STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip

# Longest names first, so "West Virginia" is read before "Virginia".
_NAMES = sorted(STATE_NAMES.values(), key=len, reverse=True)
_NAME_RE = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in _NAMES) + r")\b")
_CODE_RE = re.compile(r"(?<![A-Za-z])(?:" + "|".join(STATE_NAMES) + r")(?![A-Za-z])")
_CODE_OF = {name: code for code, name in STATE_NAMES.items()}


def state_of(entry: str) -> str | None:
    """The state an agency's name places it in ("Acworth GA PD" -> GA, "Kansas Highway
    Patrol" -> KS); the last code wins, since "Caldwell CO TX SO" is a county of Texas."""
    codes = _CODE_RE.findall(entry)
    if codes:
        return str(codes[-1])
    name = _NAME_RE.search(entry)
    return _CODE_OF[name.group(0)] if name else None
