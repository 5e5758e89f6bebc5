"""Sharing clauses: who may receive ALPR data, on what process, and what is barred.

Cues:
- ``sharing.le_only`` (only law-enforcement / public agencies), ``sharing.in_state_only``
- ``sharing.process``: a need/right to know, a documented or written request, an approval,
  a written agreement
- ``sharing.sale_ban``: sale forbidden; ``sharing.private_ban``: giving to private persons
  or entities forbidden (by sale or otherwise); ``sharing.private_allowed``: a carve-out
  that lets private parties have it
- ``sharing.recipient_restriction``: named recipients barred (federal, out-of-state)
- ``sharing.broad``: any agency or entity, "as deemed appropriate", third parties allowed
- ``sharing.network``: a nationwide or national vendor network or lookup joined
- ``sharing.pooled``: the data is stored in another agency's pooled database
- ``sharing.grant_list`` / ``sharing.no_recipients``: a portal's list of agencies granted
  access, or an explicit "None"
- ``sharing.federal_allowed``: federal agencies among those the data may go to
- ``sharing.out_of_state_allowed``: a standing access list with agencies of several states
- ``sharing.addressed``: sharing is spoken of, without any of the above
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Finding, Recipient
from ..prefilter import fast_pattern
from ..registry import register_detector
from ..states import state_of
from .clause import exception_kinds, exceptions_after, read_clause
from .common import SALE_RE, SHARE_RE, in_prohibited_list, make_finding
from .recipients import find_recipients, kinds

if TYPE_CHECKING:
    from ..fields import Field
    from . import Clause

TRIGGERS = (
    "share", "shares", "shared", "sharing", "disseminate", "disseminated", "dissemination",
    "release", "released", "releasing", "disclose", "disclosed", "disclosure", "sell", "sold",
    "sale", "traded", "transmittal", "transfer", "access", "network", "nationwide", "partner",
    "request", "requests", "requesting", "need to know", "right to know", "third parties",
    "3rd parties", "third party", "private", "store", "agreement", "approval", "approved",
    "documented", "lookup", "granted", "routed", "permission", "search", "searches",
    "federal", "out-of-state", "partners", "obtain", "obtains", "obtained",
)  # fmt: skip

_SECTION_RE = fast_pattern(r"(?i)\b(?:shar\w*|releas\w*|disseminat\w*|dissemination|disclos\w*|"
                         r"access\s+polic\w*|outside\s+agenc\w*|requests?\s+for)\b")  # fmt: skip
_REQUEST_RE = fast_pattern(r"(?i)\b(?:requests?\s+for\s+(?:the\s+)?(?:ALPR\s+)?(?:data|information|"
                         r"records)|requesting\s+agenc\w+|outside\s+(?:\w+\s+){0,2}requests?|"
                         r"receiving\s+agenc\w+)\b")  # fmt: skip
_PROCESS_RE = fast_pattern(
    r"(?i)\b(?:need[-\s]to[-\s]know|right[-\s]to[-\s]know|written\s+request|request\w*\s+"
    r"(?:is|are|shall|must|will)\s+(?:be\s+)?(?:reviewed|approved|documented|logged|recorded|"
    r"made\s+in\s+writing)|approv(?:al|ed)\s+(?:by|of|from)|(?:is|are|be)\s+(?:reviewed\s+and\s+)?"
    r"approved|must\s+be\s+documented|documented|documentation|written\s+(?:agreement|approval|"
    r"authori[sz]ation)|memorand(?:um|a)\s+of\s+understanding|\bMOU\b|(?:data[-\s]sharing|"
    r"interagency|inter-agency)\s+agreement|signed\s+(?:agreement|declaration|certification)|"
    r"routed\s+to|permission\s+from|case\s+(?:number|report)|authorized\s+by\s+the\s+head|"
    r"valid\s+reason|on\s+a\s+case[-\s]by[-\s]case\s+basis|"
    r"request\w*\s+(?:\w+\s+){0,3}in\s+writing|state\s+(?:a|the|their)\s+(?:\w+\s+){0,3}purpose)\b"
)
_REQUEST_WORD_RE = fast_pattern(r"(?i)\brequest")
_ONLY_RE = fast_pattern(r"(?i)\b(?:only|solely|exclusively)\b")
_LE_RE = fast_pattern(r"(?i)\b(?:law\s+enforcement|prosecutorial|criminal\s+justice|police|"
                    r"public\s+(?:safety\s+)?agenc\w+|government(?:al)?\s+agenc\w+)\b")  # fmt: skip
_BROAD_RE = fast_pattern(
    r"(?i)\b(?:as\s+(?:deemed\s+)?(?:appropriate|necessary)|at\s+(?:the|his|her|"
    r"their)\s+discretion|for\s+any\s+(?:lawful\s+)?purpose|without\s+"
    r"limitation)\b"
)
# A partner or agreement that stores the data is a pool; the agency's own vendor hosting its
# data ("the contract requires the vendor to host the Department's plate reads") is not.
_POOLED_RE = fast_pattern(
    r"(?i)\b(?:partner\w*|contract\w*|agreement|participat\w+)\b(?![^.]{0,80}\bvendor\b)"
    r"[^.]{0,80}\bto\s+(?:store|host|house|upload|retain)\b|\b(?:stor(?:e|ed|es)|host(?:ed|s)?|upload\w*)\b[^.]{0,80}\b(?:regional"
    r"|fusion\s+center|intelligence\s+center|multi-?agency|shared\s+(?:database|platform|server|"
    r"system)|pooled)\b"
)
_VENDOR_LICENSE_RE = fast_pattern(
    r"(?i)\b(?:grants?|licen[cs]es?)\b[^.]{0,300}\b(?:disclose|distribute|provide\s+(?:\w+\s+){0,2}"
    r"access)\b"
)
_ANY_OTHER_RE = fast_pattern(r"(?i)\bany\s+other\s+(?:individual|person|entity|organization)s?|"
                           r"\bother\s+individuals\s+or\s+(?:organizations|entities)")  # fmt: skip
_PRIVATE_EXCEPTION_RE = fast_pattern(
    r"(?i)\b(?:private|critical\s+infrastructure|owners?|operators?|"
    r"compan(?:y|ies)|vendors?|contractors?|business\w*)\b"
)
# Which way a list of organisations points is read from its label and caption: outbound
# ("Organizations granted access to our data", "Sharing data with", "Agencies we share
# with") is this agency's sharing; inbound ("Receiving data from", "Organizations sharing
# their data with us") is not.
_OUTBOUND_KEY_RE = fast_pattern(
    r"(?i)\b(?:granted|given|gives?|grant|has|have|with)\s+(?:\w+\s+){0,2}access\b|"
    r"\bshar(?:e|es|ed|ing)\s+(?:\w+\s+){0,3}?with\b|\baccess\s+to\s+(?:[\w'’.-]+\s+){0,6}?"
    r"data\b|\b(?:recipients?|shared\s+with|disseminat\w+\s+to|sent\s+to)\b"
)
_INBOUND_KEY_RE = fast_pattern(
    r"(?i)\breceiv\w*\b|\bfrom\b|\bshar\w+\s+their\s+data\b|\btheir\s+data\b|"
    r"\b(?:with|to)\s+(?:us|our\s+(?:agency|department|office))\b"
)
_ENTITY_KEY_RE = fast_pattern(
    r"(?i)\b(?:organi[sz]ations?|agenc(?:y|ies)|entit(?:y|ies)|departments?|partners?|"
    r"networks?|jurisdictions?|recipients?)\b"
)
_NONE_RE = fast_pattern(
    r"(?i)^\s*(?:none|n/?a|no\s+(?:organi[sz]ations|agencies|one)|not\s+applicable)\b|"
    r"\b(?:is|are)\s+not\s+shar\w+|\bdoes\s+not\s+share\b|\bno\s+(?:outside\s+)?"
    r"(?:agencies|organi[sz]ations)\s+(?:have|has|are)\b"
)
_QUOTED_LIST = 400  # characters of a long list quoted as evidence


def read_field(field: Field) -> list[Finding]:
    """A field listing who is granted access to this agency's data (a portal's sharing
    list, a table row "Agencies with access: …"), or saying that nobody is."""
    key = field.key_text
    if not (_OUTBOUND_KEY_RE.search(key) and _ENTITY_KEY_RE.search(key)):
        return []
    if _INBOUND_KEY_RE.search(key) and not re.search(r"(?i)\bgranted\s+access\b", key):
        return []  # data coming IN from others is not this agency's sharing
    entries = field.entries()
    value = field.value_text
    if not entries or _NONE_RE.search(value):
        cue = "sharing.no_recipients" if entries else "sharing.empty_list"
        return [_field_finding(field, [cue], [], field.end)]
    recipients: list[Recipient] = []
    for text, start in entries:
        recipients.extend(find_recipients(text, start))
    cues = ["sharing.grant_list"]
    if "federal" in kinds(recipients) or "immigration" in kinds(recipients):
        cues.append("sharing.federal_allowed")
    if len({state_of(text) for text, _ in entries} - {None}) > 1:
        # Agencies of more than one state: whichever is home, others are out of state.
        cues.append("sharing.out_of_state_allowed")
    # Quote the label and the list's first entries, not a thousand names.
    end = field.value_start + _QUOTED_LIST
    quoted_end = max((start + len(text) for text, start in entries if start + len(text) <= end),
                     default=min(field.end, end))  # fmt: skip
    return [_field_finding(field, cues, recipients, quoted_end)]


def _field_finding(field: Field, cues: list[str], recipients: list[Recipient], end: int
                   ) -> Finding:
    return Finding(
        topic="sharing",
        text=field.key_text,
        start=field.start,
        end=end,
        section=field.key.section,
        recipients=recipients,
        cues=[*cues, "sharing.field"],
    )


@register_detector("sharing", TRIGGERS)
def read(clause: Clause) -> list[Finding]:
    text = clause.text
    if text.rstrip().endswith("?"):
        return []
    verb = SHARE_RE.search(text)
    headings = (clause.section, clause.label)
    in_section = any(t is not None and _SECTION_RE.search(t) for t in headings)
    recipients = find_recipients(text, clause.start)
    found = kinds(recipients)
    context = (verb is not None or in_section or _REQUEST_RE.search(text) is not None
               or _POOLED_RE.search(text) is not None or "network" in found)  # fmt: skip
    if not context:
        return []
    cues: list[str] = []
    if _states_process(text, verb, in_section):
        cues.append("sharing.process")
    if _POOLED_RE.search(text):
        cues.append("sharing.pooled")
    reading = read_clause(text, verb.start(), verb.end()) if verb else None
    if verb is not None:
        verbs = list(SHARE_RE.finditer(text))
        flags = [read_clause(text, m.start(), m.end()).negated for m in verbs]
        negated = any(flags) or (in_prohibited_list(clause) and "search" in verb.group(0).lower())
        if negated and not flags[0] and any(flags):
            # "may only be shared with public agencies …, and shall never be sold to private
            # parties": a permission, then a ban. Read each half with its own recipients.
            first_ban = verbs[flags.index(True)]
            split = _split_before(text, first_ban.start())
            allowed_part, barred_part = text[:split], text[split:]
            cues.extend(_allowed(allowed_part, kinds(find_recipients(allowed_part, 0))))
            cues.extend(_barred(text, kinds(find_recipients(barred_part, 0)), first_ban))
        elif negated:
            cues.extend(_barred(text, found, verb))
        else:
            cues.extend(_allowed(text, found))
    if in_prohibited_list(clause) and re.search(r"(?i)\bsearch\w*\s+for\b", text) and (
        found & {"federal", "out_of_state"}
    ):
        cues.append("sharing.recipient_restriction")
    if "network" in found and not (reading and reading.negated):
        cues.append("sharing.network")
    if not cues:
        if verb is None and not in_section:
            return []
        cues.append("sharing.addressed")
    return [make_finding(clause, "sharing", sorted(set(cues)), reading, recipients=recipients)]


def _states_process(text: str, verb: re.Match[str] | None, in_section: bool) -> bool:
    """A request or approval step for sharing. With a share word, the step must be in the
    same conjunct ("… had a case number, and shall review every release of data": the case
    number is about the audited searches) unless the sentence is about requests."""
    if not _PROCESS_RE.search(text):
        return False
    requested = bool(_REQUEST_RE.search(text) or _REQUEST_WORD_RE.search(text))
    if verb is None:
        return in_section or requested
    start, end = _conjunct(text, verb.start())
    return requested or _PROCESS_RE.search(text[start:end]) is not None


def _conjunct(text: str, at: int) -> tuple[int, int]:
    """The ", and" / ";"-delimited part of the sentence that holds position ``at``."""
    joint = r",?\s+(?:and|but)\s+|;\s+"
    before = list(re.finditer(joint, text[:at]))
    after = re.search(joint, text[at:])
    return (before[-1].end() if before else 0, at + after.start() if after else len(text))


def _split_before(text: str, at: int) -> int:
    """Where the clause holding position ``at`` begins: after the last ", and" / ";"."""
    joints = list(re.finditer(r",?\s+(?:and|but)\s+|;\s+", text[:at]))
    return joints[-1].start() if joints else at


def _barred(text: str, found: set[str], verb: re.Match[str]) -> list[str]:
    """Cues for a negated sharing clause ("shall not be shared with …", "never sold")."""
    cues: list[str] = []
    exceptions = exceptions_after(text, verb.start())
    private_carve_out = any(_PRIVATE_EXCEPTION_RE.search(e) for e in exceptions) and "law" not in (
        exception_kinds(exceptions)
    )
    only_sale = all(SALE_RE.fullmatch(m.group(0)) for m in SHARE_RE.finditer(text))
    if only_sale:
        cues.append("sharing.sale_ban")
    elif "private" in found or _ANY_OTHER_RE.search(text):
        cues.append("sharing.private_ban")
        if SALE_RE.search(text):
            cues.append("sharing.sale_ban")
        if _ANY_OTHER_RE.search(text):
            cues.append("sharing.closed_list")
    if private_carve_out:
        cues.append("sharing.private_allowed")
    if found & {"federal", "out_of_state", "immigration"}:
        cues.append("sharing.recipient_restriction")
    return cues


def _allowed(text: str, found: set[str]) -> list[str]:
    """Cues for a permissive sharing clause ("may be shared only with …", "any agency")."""
    cues: list[str] = []
    only = _ONLY_RE.search(text)
    if only and _LE_RE.search(text[only.start() :] + " " + text[: only.start()][-80:]):
        cues.append("sharing.le_only")
    if only and "in_state" in found:
        cues.append("sharing.in_state_only")  # "We share statewide only"
    if _VENDOR_LICENSE_RE.search(text):
        cues.append("sharing.vendor_license")
    if "any_agency" in found or _BROAD_RE.search(text):
        cues.append("sharing.broad")
    if "private" in found and not only:
        cues.append("sharing.private_allowed")
    if found & {"federal", "immigration"} and not only:
        cues.append("sharing.federal_allowed")
    return cues
