"""Who a clause lets the data go to (or bars it from), as kinds a scorer can reason about."""

from __future__ import annotations

import re

from ..first_char import guarded
from ..literal_trie import trie_pattern
from ..models import Recipient
from ..prefilter import Prefiltered, folded
from ..states import STATE_NAMES

# Fifty names as one trie: as a 50-way alternation this one pattern cost more than all
# the other kinds together.
_STATES = trie_pattern(STATE_NAMES.values())

# Order matters only for readability: every kind is searched independently.
_PATTERNS: dict[str, re.Pattern[str]] = {
    "immigration": re.compile(
        r"(?i)\b(?:ICE|Immigration\s+and\s+Customs\s+Enforcement|CBP|Customs\s+and\s+Border\s+"
        r"Protection|Border\s+Patrol|HSI|Homeland\s+Security\s+Investigations|(?:U\.S\.\s+)?"
        r"Department\s+of\s+Homeland\s+Security|DHS|federal\s+immigration\s+\w+|immigration\s+"
        r"(?:authorities|agents?|officials|agenc(?:y|ies)|enforcement\s+agenc(?:y|ies)))\b"
    ),
    "federal": re.compile(
        r"(?i)\b(?:federal(?!\s+(?:and\s+)?(?:state\s+)?(?:law|laws|statutes?|regulations?|"
        r"rights?|constitution|court|databases?|data)\b)|FBI|DEA|ATF|U\.S\.\s+Marshals?)\b"
    ),
    "out_of_state": re.compile(
        r"(?i)\b(?:out[-\s]of[-\s]state|outside\s+(?:of\s+)?(?:the\s+state|California|"
        r"[A-Z][a-z]+\s+state|this\s+state)|other\s+states|another\s+state|non-California)\b"
    ),
    "any_agency": re.compile(
        r"(?i)\b(?:any|all)\s+(?:other\s+)?(?:(?:governmental|government|law\s+enforcement|"
        r"public(?:\s+safety)?|criminal\s+justice|requesting|outside)\s+)?(?:agenc(?:y|ies)|"
        r"entit(?:y|ies)|departments?|organizations?)\b"
    ),
    "law_enforcement": re.compile(
        r"(?i)\b(?:law\s+enforcement|police|sheriff'?s?|prosecut\w+|criminal\s+justice|"
        r"public\s+safety)\s*(?:or\s+\w+\s+)?(?:agenc(?:y|ies)|authorit(?:y|ies)|partners?|"
        r"departments?|offices?|entit(?:y|ies)|personnel)?\b"
    ),
    "in_state": re.compile(
        r"(?i)\bstatewide\s+only\b|\bonly\s+(?:with\s+agencies\s+)?(?:with)?in\s+(?:the|this|our)\s+"
        r"state\b|"
        rf"\b(?:{_STATES}|in-state|within\s+(?:the|this)\s+state|(?:this|our)\s+state'?s?)"
        r"\s+(?:(?:state|local|state\s+or\s+local|public)\s+)?(?:law\s+enforcement|agenc|polic)"
    ),
    "private": re.compile(
        r"(?i)\b(?:private\s+(?:part(?:y|ies)|entit(?:y|ies)|persons?|individuals?|compan(?:y|ies)|"
        r"sector|organizations?|citizens?)|third[-\s]part(?:y|ies)|3rd[-\s]part(?:y|ies)|"
        r"commercial|data\s+brokers?|any\s+other\s+(?:individual|person|entity|organization)s?|"
        r"other\s+individuals|compan(?:y|ies)|members\s+of\s+the\s+public|insurance|"
        r"repossession)\b"
    ),
    "network": re.compile(
        r"(?i)\b(?:(?:nation-?wide|national|multi-?state|statewide|regional)\s+(?:\w+\s+)?"
        r"(?:network|lookup|look-up|search(?:es)?|sharing|database|system)s?|national\s+lookup|"
        r"camera\s+networks?)\b"
    ),
}
# Read once per entry of a portal's access list (hundreds of agencies): skip quickly over
# places where no kind can start (``policy_audit.first_char``; the same matches).
# Most sentences name few kinds: a kind is searched only in a text holding a word every
# match of it needs (``policy_audit.prefilter``; the same matches).
RECIPIENT_PATTERNS: dict[str, Prefiltered] = {
    kind: Prefiltered(re.compile(guarded(p.pattern), p.flags)) for kind, p in _PATTERNS.items()
}


def find_recipients(text: str, offset: int = 0) -> list[Recipient]:
    found = []
    lowered = folded(text)  # once for the eight kinds (and kept for finditer's own test)
    for kind, pattern in RECIPIENT_PATTERNS.items():
        if not pattern.may_match_folded(lowered):
            continue
        for match in pattern.finditer(text):
            found.append(
                Recipient(
                    kind=kind,
                    text=match.group(0),
                    start=offset + match.start(),
                    end=offset + match.end(),
                )
            )
    return found


def kinds(recipients: list[Recipient]) -> set[str]:
    return {recipient.kind for recipient in recipients}
