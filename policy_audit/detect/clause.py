"""Read how firmly a clause speaks: modality, negation and exceptions.

Without a parser there is no dependency tree, so scope is positional and deliberate:
the modal or negation that governs a verb is the nearest one before it in the same
clause, and an exception is the text after "unless", "except", "other than" and friends.
These functions take the clause text and the character position of the verb that
matters (the "key"), and say what governs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MANDATORY = "mandatory"  # shall, must, will, is required to
DISCRETIONARY = "discretionary"  # may, should, can
FACT = "fact"  # "is purged", "are deleted": statements of present practice count as rules
NONE = "none"

_MODAL_RE = re.compile(
    r"(?i)\b(?:(?P<mand>shall|must|will|is\s+required\s+to|are\s+required\s+to|"
    r"has\s+to|have\s+to|agrees?\s+to)|(?P<disc>may|should|can|could|might|is\s+permitted\s+to|"
    r"are\s+permitted\s+to|is\s+authorized\s+to|are\s+authorized\s+to|is\s+allowed\s+to|"
    r"are\s+allowed\s+to))\b"
)
_NEGATION_RE = re.compile(
    r"(?i)\b(?:not|never|no|nor|cannot|can't|won't|shan't|neither|prohibited|prohibits?|"
    r"prohibiting|forbidden|forbids?|barred|bars|banned|disallowed|restricted\s+from|"
    r"under\s+no\s+circumstances|in\s+no\s+(?:case|event)|refrain\s+from|precluded)\b"
)
# Phrases that negate something other than the governed verb ("not related to an
# investigation" narrows the data, it does not negate "destroyed").
_NEGATION_NOISE_RE = re.compile(
    r"(?i)\b(?:not\s+(?:related|relat|associated|connected|linked|tied|part|designated|"
    r"pertinent|needed|subject|appearing|on|only|limited|open)|no\s+(?:immediate|longer|later|"
    r"more|less|fewer|reasonable|connection)|not\s+(?:later|longer|more|less|to\s+exceed|"
    r"exceeding)|non-?\w+|whether\s+or\s+not|if\s+not|not\s+previously|no\s+obligation)\b"
)

EXCEPTION_RE = re.compile(
    r"(?i)\b(?:unless|except|excepting|other\s+than|save\s+for|provided\s+(?:that|however)|"
    r"but\s+may|however|with\s+the\s+(?:prior\s+)?(?:written\s+)?(?:approval|permission|"
    r"consent|authorization)\s+of|without\s+(?:prior\s+)?(?:approval|a\s+warrant)|"
    r"as\s+(?:otherwise\s+)?(?:required|permitted|authorized|allowed|provided)\s+by|"
    r"to\s+the\s+extent\s+(?:required|permitted)|subject\s+to)\b"
)

# What an exception is made of decides whether it swallows the rule.
EXCEPTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("judicial", re.compile(r"(?i)\bordered\s+by\s+(?:a|the)\s+(?:\w+\s+)?(?:court|judge)\b|"
                            r"\bcourt[-\s]ordered\b|"
                            r"\b(?:judicial|court|judge)\b.{0,30}\b(?:warrant|order|subpoena)\b"
                            r"|\b(?:warrant|court\s+order|subpoena)\b.{0,25}\b(?:signed|issued)\b.{0,25}"
                            r"\b(?:judge|court)\b|\bsearch\s+warrant\b|\bwarrant\b")),
    ("law", re.compile(r"(?i)\b(?:required|permitted|authorized|allowed|provided|mandated|"
                       r"compelled)"
                       r"\s+(?:by|under)\s+(?:state\s+|federal\s+|applicable\s+)?(?:law|statute|"
                       r"legal\s+process)|\bby\s+law\b|\blegally\s+required\b|\bapplicable\s+law\b")),
    ("approval", re.compile(r"(?i)\b(?:approv\w*|permission|consent|authoriz\w+|designee|"
                            r"discretion)\b")),
    ("evidence", re.compile(r"(?i)\b(?:evidence|investigation|hit|alert|case|litigation|"
                            r"discovery|prosecution|court|legal\s+hold|preserv\w+)\b")),
    ("statute", re.compile(r"(?i)\b(?:statute|§|stat\.|code)\b")),
)  # fmt: skip


@dataclass(frozen=True)
class Reading:
    modality: str
    negated: bool
    exceptions: tuple[str, ...]
    exception_kinds: tuple[str, ...]


def modality_before(text: str, key: int, window: int = 60) -> str:
    """The modality governing the verb at ``key``: the nearest modal in the clause before it."""
    start = max(0, key - window)
    segment = re.split(r"[;:.]|\b(?:and|or|but|then|thereafter|which|that)\s", text[start:key])[-1]
    # A plain statement ("data is purged after 30 days") is a rule too: present
    # practice counts as a requirement, so no modal means FACT, not NONE.
    found = FACT
    for match in _MODAL_RE.finditer(segment):
        found = MANDATORY if match["mand"] else DISCRETIONARY
    return found


def negated_before(text: str, key: int, window: int = 90) -> bool:
    """True when a negation governs the verb at ``key`` ("shall not be shared", "no ... shall")."""
    segment = text[max(0, key - window) : key]
    segment = re.split(r"[;.]|\b(?:but|however|except|unless)\b", segment)[-1]
    cleaned = _NEGATION_NOISE_RE.sub(" ", segment)
    return bool(_NEGATION_RE.search(cleaned))


def negated_around(text: str, start: int, end: int) -> bool:
    """A negation before the key, or a prohibition word right after it ("... is prohibited")."""
    if negated_before(text, start):
        return True
    after = text[end : end + 60]
    after = re.split(r"[;.]", after)[0]
    return bool(re.search(r"(?i)^[^,]{0,40}\b(?:is|are)\s+(?:strictly\s+)?(?:prohibited|forbidden|"
                          r"not\s+(?:permitted|allowed|authorized))\b", after))  # fmt: skip


def exceptions_after(text: str, key: int) -> list[str]:
    """Exception phrases that qualify the clause from ``key`` on (to the clause's end)."""
    found = []
    for match in EXCEPTION_RE.finditer(text, key):
        tail = text[match.start() :]
        phrase = re.split(r"(?<=[.;])\s", tail, maxsplit=1)[0]
        found.append(phrase[:200].strip())
    return found


def exception_kinds(phrases: list[str]) -> list[str]:
    kinds = []
    for phrase in phrases:
        for kind, pattern in EXCEPTION_KINDS:
            if pattern.search(phrase):
                kinds.append(kind)
                break
        else:
            kinds.append("other")
    return kinds


def read_clause(text: str, key_start: int, key_end: int) -> Reading:
    exceptions = exceptions_after(text, key_end)
    return Reading(
        modality=modality_before(text, key_start),
        negated=negated_around(text, key_start, key_end),
        exceptions=tuple(exceptions),
        exception_kinds=tuple(exception_kinds(exceptions)),
    )
