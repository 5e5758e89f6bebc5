"""Retention clauses: how long ALPR data may be kept, and which data a period covers.

Cues (``Finding.cues``):
- ``retention.limit``: a firm maximum (shall/must/will be purged; "is deleted after";
  "retained for a maximum of"; "may be retained up to" also caps what is allowed).
- ``retention.min_only``: a minimum with no maximum ("at least", "a minimum of").
- ``retention.discretionary``: deletion left to discretion ("may be purged", "should").
- ``retention.deferral``: deferral to a schedule or policy with no number.
- ``retention.indefinite``: "as long as necessary", "indefinitely", "until no longer needed".
- ``retention.no_period``: deletion or storage said to happen, with no period.
Scope cues say what data the clause governs: ``scope.nonhit`` (expressly data not tied to
a hit or investigation), ``scope.hit`` (hit, evidence or case data only), ``scope.other``
(other records: query logs, audit trails, hot lists, video, requests, a record of the
training), ``scope.general``. The data is named by the subject of a passive verb ("plate
reads shall be purged") or the object of an active one ("the agency shall keep a record of
the training each operator completes").
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..models import Finding
from ..prefilter import fast_pattern
from ..registry import register_detector
from .clause import DISCRETIONARY, EXCEPTION_RE, FACT, read_clause
from .durations import find_durations

if TYPE_CHECKING:
    from ..fields import Field
    from . import Clause

TRIGGERS = (
    "retain", "retains", "retained", "retaining", "retention", "purge", "purged", "purges",
    "purging", "delete", "deleted", "deletes", "deletion", "destroy", "destroyed", "destroys",
    "destruction", "erase", "erased", "expunge", "expunged", "overwritten", "stored", "store",
    "kept", "keep", "keeps", "keeping", "held", "maintained", "indefinitely", "discarded",
    "disposed", "erases", "erasing", "wiped", "stores", "removed",
)  # fmt: skip

_KEEP_VERB = (
    r"retain(?:ed|s|ing)?|stor(?:e|es|ed|ing)|kept|keep(?:s|ing)?|held|maintained|preserved|"
    r"saved"
)
_DELETE_VERB = (
    r"purg(?:e|ed|es|ing)|delet(?:e|ed|es|ing|ion)|destroy(?:ed|s|ing)?|destruction|"
    r"eras(?:e|ed|es|ing|ure)|wip(?:e|ed|es)|expung(?:e|ed)|overwritten|discarded|disposed\s+of|"
    r"(?:permanently\s+)?removed\s+from"
)
_KEY_RE = fast_pattern(rf"(?i)\b(?:(?P<keep>{_KEEP_VERB})|(?P<delete>{_DELETE_VERB})|"
                     r"(?P<noun>retention))\b")  # fmt: skip

# "not related to an active investigation", "not appearing on hotlists", "non-hit":
# these phrases mark the data as NON-hit; they are removed before scope words are read.
_NONHIT_RE = re.compile(
    r"(?i)\b(?:not|no|non-?|never|without)\s*(?:\w+\s+){0,5}?(?:rel\w*|related|associated|connected|"
    r"linked|tied|part|appearing|designated|relevant|pertinent|connection|hits?|alerts?|match\w*|"
    r"evidence|evidentiary|investigat\w*|needed\s+for)\b[^;.]*+"
    # "reads that match no hot list", "matching none of the lists"
    r"|\bmatch(?:es|ed|ing)?\s+(?:no|none\s+of)\b[^;.]*+"
)
_HIT_RE = fast_pattern(
    r"(?i)\b(?:evidence|evidentiary|hits?|alerts?|investigat\w+|cases?|criminal\s+matter|"
    r"litigation|exculpatory|preservation|discovery|court|prosecution|such\s+data|these\s+"
    r"records|that\s+data|archived)\b"
)
_RESIDUAL_RE = fast_pattern(
    r"(?i)\b(?:all\s+other|any\s+other|(?:the\s+)?remaining|all\s+remaining)\b"
)
_OTHER_RECORD_RE = fast_pattern(
    r"(?i)\b(?:audit\s+(?:trails?|logs?|records?)|logs?|quer(?:y|ies)|search(?:es)?\s+"
    r"(?:history|records?|logs?)|user\s+(?:queries|profiles?|activity)|hot\s*-?lists?|"
    r"hot\s+plates|video|body[-\s]worn|requests?|records?\s+of\s+(?:access|use|the\s+request)|"
    r"access\s+records?|reports?|emails?|training\s+records|accounts?|passwords?|"
    r"hardware|units|equipment|(?:system\s+)?access)\b"
)
_DEFERRAL_RE = fast_pattern(
    r"(?i)\b(?:retention\s+(?:schedules?|polic(?:y|ies)|periods?\s+(?:set|established)|"
    r"requirements?|guidelines?|rules?)|records?\s+(?:retention|management)\s+(?:schedules?|"
    r"polic(?:y|ies)|act)|(?:general\s+)?records\s+schedules?|(?:as|when)\s+(?:the\s+)?vendor\s+"
    r"purges)\b"
)
_INDEFINITE_RE = fast_pattern(
    r"(?i)\b(?:indefinite(?:ly)?|as\s+long\s+as\s+(?:\w+\s+){0,6}?(?:necessary|needed|useful|"
    r"required|appropriate|practicable|operationally)|until\s+(?:it\s+is\s+|they\s+are\s+)?"
    r"(?:no\s+longer|not)\s+(?:needed|necessary|useful|required)|no\s+(?:set|fixed)\s+"
    r"(?:time|period|limit)|permanently(?!\s+(?:delet|purg|eras|destr|remov|expung))|"
    r"in\s+perpetuity)\b"
)
_NEGATED_MAX_RE = fast_pattern(r"(?i)\b(?:more|longer)\s+than\b|\bbeyond\b|\bin\s+excess\s+of\b")


# Words that name the plate data itself (or hit data, which the hit scope reads).
_DATA_WORD = (
    r"ALPR|LPR|plates?|reads?|scans?|images?|photo\w*|pictures?|data|captures?|detections?|"
    r"vehicles?|hits?|alerts?|matches|evidence|footage|information"
)
# "a record of the training each operator completes", "a log of every request", "a list
# of the agencies": a record kept *about* something. It is plate data only when the head
# of what it records is ("a record of each plate the camera reads", "copies of the data");
# otherwise ("a copy of every request for ALPR data") it is another record. The head is
# read up to the complement's own preposition or relative word, at most six words.
_RECORD_OF_RE = re.compile(
    r"(?i)\b(?:records?|logs?|lists?|histor(?:y|ies)|documentation|registers?|rosters?|"
    r"certificates?|copies|copy|reports?|files?)\s+(?:of|for|on|about|showing|documenting)\s+"
    r"(?P<what>[\w'’-]+(?:\s+(?!(?:of|for|from|by|with|about|on|in|to|that|which|who|whose|"
    r"shall|must|will|may|is|are|be)\b)[\w'’-]+){0,5})"
)
_DATA_WORD_RE = re.compile(rf"(?i)\b(?:{_DATA_WORD})\b")


def _records_other(words: str) -> bool:
    """A record, log or list of something other than plate data."""
    return any(not _DATA_WORD_RE.search(m["what"]) for m in _RECORD_OF_RE.finditer(words))


def _scope(subject: str) -> str:
    """What data the clause governs, read from the words that name it: the subject of a
    passive verb ("plate reads shall be purged"), or the object of an active one."""
    nonhit = bool(_NONHIT_RE.search(subject))
    rest = _NONHIT_RE.sub(" ", subject)
    if _RESIDUAL_RE.search(rest):
        return "residual"  # "all other data": the complement of the clause before it
    if _records_other(rest) or (
        _OTHER_RECORD_RE.search(rest) and not re.search(r"(?i)\b(?:ALPR|LPR|plate)\s+data\b", rest)
    ):
        return "other"
    if _HIT_RE.search(rest):
        return "hit"
    return "nonhit" if nonhit else "general"


# A field about retention: "Data Retention", "Retention period (in days)", "Days data is
# kept", "Deleted after". Its value states the period ("30 days", "21", "Indefinitely").
_FIELD_KEY_RE = fast_pattern(
    r"(?i)\bretention\b|\bretain(?:ed|s)?\b|\b(?:deleted|purged|erased|destroyed|kept|stored)\b"
)
_DAYS_KEY_RE = fast_pattern(r"(?i)\bdays\b")
_BARE_NUMBER_RE = fast_pattern(r"^\s*(\d{1,5})\s*$")
_UNKNOWN_VALUE_RE = fast_pattern(r"(?i)\b(?:unavailable|not\s+available|n/a|unknown|tbd)\b")


def read_field(field: Field) -> list[Finding]:
    """A label/value field about retention: the value is the period, stated as fact."""
    key = field.key_text
    value = field.value_text.strip()
    if not value or not _FIELD_KEY_RE.search(key) or len(value.split()) > 8:
        return []
    if _UNKNOWN_VALUE_RE.search(value):
        return []
    cues = ["retention.limit", "retention.field"]
    durations = find_durations(value, field.value_start)
    number = _BARE_NUMBER_RE.match(value)
    if not durations and number and _DAYS_KEY_RE.search(key):
        # "Retention (in days)" / "30": the key carries the unit.
        durations = find_durations(f"{number[1]} days", field.value_start)
        durations = [d.model_copy(update={"text": number[1], "end": field.value_start
                                          + len(value)}) for d in durations]  # fmt: skip
    if _INDEFINITE_RE.search(value):
        cues = ["retention.indefinite", "retention.field"]
        durations = []
    elif not durations:
        return []
    cues.append(f"scope.{_scope(key)}")
    return [
        Finding(
            topic="retention",
            text=key,
            start=field.start,
            end=field.end,
            section=field.key.section,
            modality=FACT,
            durations=durations,
            cues=cues,
        )
    ]


@register_detector("retention", TRIGGERS)
def read(clause: Clause) -> list[Finding]:
    if clause.text.rstrip().endswith("?"):
        return []  # a question is not a rule
    findings: list[Finding] = []
    for part in _semicolon_parts(clause):
        findings.extend(_read_part(part, clause.text[: part.start - clause.start]))
    return findings


# A participle ("shall be purged", "are automatically deleted", "data retained by the
# vendor") names what is kept in the words before it; an active verb ("shall keep",
# "retains", "will purge", "keeping") or a noun of destruction, in the words after it.
_PARTICIPLE_RE = re.compile(r"(?i)(?:ed|kept|held|written|\bof|\bfrom)$")
# Where the object ends: the period, a preposition that starts the when or where ("for
# three years", "after 30 days", "in the cloud"), a condition, or punctuation.
_OBJECT_END_RE = re.compile(
    r"(?i)[,;:.()]|\b(?:for|after|within|until|upon|before|beyond|no\s+longer|in|on|at|by|"
    r"from|unless|except|when|where|if|once|as|and\s+(?:shall|must|will|may))\b"
)
_OF_RE = re.compile(r"(?i)^of\s+")


def _object(text: str, key: re.Match[str], end: int) -> str | None:
    """What an active verb keeps or destroys ("keep [a record of the training each operator
    completes] for three years"; "destruction [of training records]"); None for a passive
    verb, whose subject the caller reads."""
    word = key.group(0)
    if key["noun"] or _PARTICIPLE_RE.search(word):
        return None
    after = text[key.end() : max(key.end(), end)][:160].lstrip()
    after = _OF_RE.sub("", after) if word.lower().endswith(("ion", "ure")) else after
    stop = _OBJECT_END_RE.search(after)
    return (after[: stop.start()] if stop else after).strip() or None


def _semicolon_parts(clause: Clause) -> list[Clause]:
    """ "Evidence may be kept two years; all other reads shall be purged in 30 days" holds
    two rules for two kinds of data: read each half on its own."""
    pieces = re.split(r"(?<=;)\s+", clause.text)
    if len(pieces) < 2 or sum(bool(_KEY_RE.search(p)) for p in pieces) < 2:
        return [clause]
    parts: list[Clause] = []
    offset = 0
    for piece in pieces:
        at = clause.text.index(piece, offset)
        offset = at + len(piece)
        start = clause.start + at
        parts.append(replace(clause, start=start, end=start + len(piece), text=piece))
    return parts


def _read_part(clause: Clause, preceding: str) -> list[Finding]:
    text = clause.text
    key = _KEY_RE.search(text)
    if key is None:
        return []
    # Read the verb that carries a period if there is one ("stored for a maximum of 30
    # days. Thereafter ... purged"): prefer the key nearest a duration.
    durations_all = find_durations(text, clause.start)
    keys = list(_KEY_RE.finditer(text))
    if durations_all:
        first = durations_all[0].start - clause.start
        before = [k for k in keys if k.start() < first]
        key = before[-1] if before else keys[0]
    exception_at = EXCEPTION_RE.search(text, key.end())
    main_end = exception_at.start() if exception_at else len(text)
    reading = read_clause(text, key.start(), key.end())
    scope = _scope(text[: key.start()] + " " + text[key.end() : min(main_end, key.end() + 60)]
                   if key["noun"] else text[: key.start()])  # fmt: skip
    periods = [d.start - clause.start for d in durations_all if d.start - clause.start > key.end()]
    kept = _object(text, key, min([main_end, *periods]))
    if kept and (object_scope := _scope(kept)) != "general":
        # "The agency shall keep a record of the training …": what is kept is the object,
        # not "the agency"; an object that names nothing in particular leaves the subject's.
        scope = object_scope
    if scope == "residual" and _HIT_RE.search(preceding):
        scope = "nonhit"  # "…evidence may be kept…; all other reads …": the non-hit rest
    durations = [d for d in durations_all if d.start - clause.start < main_end]
    cues: list[str] = []
    deleting = key["delete"] is not None
    if deleting:
        # "purged at the end of each 24-hour period": a recurring purge is a maximum.
        after_key = clause.start + key.end()
        durations = [
            d.model_copy(update={"bound": "max"}) if d.bound == "every" and d.start > after_key
            else d
            for d in durations
        ]
    # "shall not be retained for more than 60 days" is a cap of 60 days.
    if reading.negated and durations and not deleting and _NEGATED_MAX_RE.search(text):
        durations = [d.model_copy(update={"bound": "max"}) for d in durations]
    caps = [d for d in durations if d.bound in ("max", "exact")]
    if caps and reading.modality == DISCRETIONARY and (deleting or "should" in text.lower()):
        cues.append("retention.discretionary")
    elif caps:
        cues.append("retention.limit")
    elif durations:
        cues.append("retention.min_only")
    if _INDEFINITE_RE.search(text[:main_end]):
        cues.append("retention.indefinite")
    if _DEFERRAL_RE.search(text) and not caps:
        cues.append("retention.deferral")
    if (
        not cues
        and (deleting or key["keep"])
        and reading.modality in (FACT, "mandatory")
        and re.search(r"(?i)\b(?:ALPR|LPR|plate|data|images?|reads?|footage|information)\b", text)
    ):
        cues.append("retention.no_period")
    if not cues:
        return []
    cues.append(f"scope.{scope}")
    return [
        Finding(
            topic="retention",
            text=text,
            start=clause.start,
            end=clause.end,
            section=clause.section,
            modality=reading.modality,
            negated=reading.negated,
            exceptions=list(reading.exceptions),
            reading_rule=reading.rule,
            durations=caps if "retention.limit" in cues else durations,
            cues=cues,
        )
    ]
