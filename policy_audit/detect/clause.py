"""Read how firmly a clause speaks: modality, negation and exceptions, in one place.

Without a parser there is no dependency tree, so scope is positional and deliberate:
a modal governs every verb coordinated with it up to a clause boundary ("shall log in ...
and record a reason"), "may only" restricts, "No officer may" forbids, a subject key takes
the modal after it ("face recognition will not be used"), and an exception is the text
after "unless", "except", "other than" and friends, classed by its breadth (judicial,
law, approval, evidence). ``read_clause`` is the entry point for every criterion, core
and element alike: it takes the clause text and the span of the word that matters (the
"key") and says what governs it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..models import ExceptionRead

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
    """How firmly a clause speaks about its key, and what exceptions qualify it."""

    modality: str
    negated: bool
    exceptions: tuple[str, ...]
    exception_kinds: tuple[str, ...]
    rule: str = "fact"  # which reading rule decided (see ``ScopedReading.rule``)
    modal: str | None = None


def _negated_before(text: str, key: int, window: int = 90) -> bool:
    """True when a negation governs the verb at ``key`` ("shall not be shared", "no ... shall")."""
    segment = text[max(0, key - window) : key]
    segment = re.split(r"[;.]|\b(?:but|however|except|unless)\b", segment)[-1]
    cleaned = _NEGATION_NOISE_RE.sub(" ", segment)
    return bool(_NEGATION_RE.search(cleaned))


def _negated_around(text: str, start: int, end: int) -> bool:
    """A negation before the key, or a prohibition word right after it ("... is prohibited")."""
    if _negated_before(text, start):
        return True
    after = text[end : end + 60]
    after = re.split(r"[;.]", after)[0]
    return bool(re.search(r"(?i)^[^,]{0,40}\b(?:is|are)\s+(?:strictly\s+)?(?:prohibited|forbidden|"
                          r"not\s+(?:permitted|allowed|authorized))\b", after))  # fmt: skip


# A clause is read within this many characters either side of its key. Real clauses are
# far shorter; but a text without full stops is one long "sentence", and reading each of
# its keys against all of it was quadratic (62 KB of such text: 9 s, 1 MB: minutes).
# Past this distance a modal or an exception no longer governs a key anyway.
CLAUSE_WINDOW = 1_000
_PHRASE = 200  # characters of an exception phrase kept
_PHRASE_END = re.compile(r"(?<=[.;])\s")


def around(text: str, start: int, end: int, window: int = CLAUSE_WINDOW) -> tuple[str, int]:
    """``text`` cut to ``window`` characters either side of ``start``–``end``, and the
    offset of the cut (the text itself, offset 0, when it is short enough already)."""
    if len(text) <= 2 * window + (end - start):
        return text, 0
    low = max(0, start - window)
    return text[low : end + window], low


def exceptions_after(text: str, key: int) -> list[str]:
    """Exception phrases that qualify the clause from ``key`` on (to the clause's end, at
    most ``CLAUSE_WINDOW`` characters on)."""
    return [exception_phrase(text, match.start())
            for match in EXCEPTION_RE.finditer(text, key, key + CLAUSE_WINDOW)]


def exception_phrase(text: str, begin: int) -> str:
    """The exception phrase starting at ``begin``: up to the first ". " or "; ", at most
    200 characters (found without copying the rest of the text, which made a long text
    quadratic)."""
    stop = _PHRASE_END.search(text, begin + 1, begin + _PHRASE)
    return text[begin : stop.start() if stop else begin + _PHRASE].strip()


# Exceptions of these kinds keep a rule whole (a judge decides, or one case or one named
# statute); any other kind ("as required by law", a supervisor's approval) can swallow it.
NARROW_EXCEPTIONS = frozenset({"judicial", "evidence", "statute"})


def read_exceptions(phrases: list[str]) -> list[ExceptionRead]:
    """Each exception phrase with its kind and breadth: the one place breadth is judged."""
    return [ExceptionRead(text=phrase, kind=kind,
                          breadth="narrow" if kind in NARROW_EXCEPTIONS else "broad")
            for phrase, kind in zip(phrases, exception_kinds(phrases), strict=True)]


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


# --------------------------------------------------------------------------- scoped reading
# A modal governs every verb coordinated with it, until a boundary (";", ":", "unless",
# "except", "but", ...) or a new clause (a conjunction followed by its own finite verb or
# modal). With no modal, a negation right before or after the key decides (a fact).

COORDINATED = "coordinated"  # a modal reaching past "and"/"or" or beyond the old window
MAY_ONLY = "may-only"  # "may only", "may be used only", "Only X may": a restriction
MODAL_AFTER = "modal-after"  # the key is the subject: "face recognition will not be used"
MODAL_BEFORE = "modal-before"
PLAIN_FACT = "fact"

_SCOPE_BOUNDARY_RE = re.compile(
    r"(?i)[;!?]|:(?!\d)|\b(?:unless|except|excepting|provided\s+(?:that|however)|however|"
    r"whereas|although|but)\b"
)
# Every modal, negated contractions included ("cannot", "won't"), for scoped reading.
_SCOPED_MODAL_RE = re.compile(
    r"(?i)\b(?:(?P<neg>cannot|can't|won't|shan't|mustn't|shouldn't)|(?P<mand>shall|must|will|"
    r"is\s+required\s+to|are\s+required\s+to|has\s+to|have\s+to|agrees?\s+to)|(?P<may>may|can)|"
    r"(?P<adv>should|could|might|is\s+permitted\s+to|are\s+permitted\s+to|is\s+authorized\s+to|"
    r"are\s+authorized\s+to|is\s+allowed\s+to|are\s+allowed\s+to))\b(?!\s+\d)"
)
# Used with ``.match(text, pos)``, which anchors at ``pos`` (a "^" would not).
_MODAL_NOT_RE = re.compile(r"(?i)\s*(?:not|never)\b")
# A conjunction or relative word that opens a new clause: it has its own finite verb or
# modal within a few words ("and all queries are logged", "and supervisors may review").
_CLAUSE_BREAK_RE = re.compile(
    r"(?i)\b(?:and|or|but|then|thereafter|which|who|whereas|while|that)\b[\s,]+"
    r"(?:[\w'’-]+[\s,]+){0,5}?(?:is|are|was|were|has|have|had|does|do|did|shall|must|will|"
    r"may|should|can|could|might|would|cannot)\b"
)
_COORDINATOR_RE = re.compile(r"(?i)\b(?:and|or|as\s+well\s+as)\b|,")
_RESTRICTIVE_RE = re.compile(
    r"(?i)(?<!\bnot\s)(?<!\bif\s)(?<!\bthe\s)\b(?:only|solely|exclusively)\b"
)
_FACT_NEGATED_AFTER_RE = re.compile(
    r"(?i)^[\s,]*(?:[\w'’()-]+[\s,]+){0,8}?(?:is|are|was|were|does|do)\s+(?:not|never)\b"
)
_NOT_SUBJECT_RE = re.compile(r"(?i)\b(?:is|are|was|were|has|have|had|that|which|who|whom|whose)\b")
# "may (not) be the owner", "might be a match": a copula before a noun phrase, not a rule.
_EPISTEMIC_RE = re.compile(
    r"(?i)(?:\s+(?:not|never))?\s+be\s+(?:the|a|an|any|his|her|their|its|some|in|on|at|able|"
    r"possible|true|false|accurate|inaccurate|correct|incorrect|wrong|different|mistaken)\b"
)
_PROHIBITED_AFTER_RE = re.compile(
    r"(?i)^[^,]{0,40}\b(?:is|are)\s+(?:strictly\s+)?(?:prohibited|forbidden|"
    r"not\s+(?:permitted|allowed|authorized))\b"
)


@dataclass(frozen=True)
class ScopedReading:
    """How the verb phrase holding a key is governed, and which rule said so."""

    modality: str  # MANDATORY, DISCRETIONARY or FACT
    negated: bool
    rule: str  # MODAL_BEFORE, COORDINATED, MAY_ONLY, MODAL_AFTER or PLAIN_FACT
    modal: str | None = None  # the governing modal as written ("shall", "may ... only")


def scope_start(text: str, key: int) -> int:
    """Where the clause holding ``key`` begins: after the last boundary before it."""
    start = 0
    for match in _SCOPE_BOUNDARY_RE.finditer(text, 0, key):
        start = match.end()
    return start


def scope_end(text: str, key: int) -> int:
    """Where the clause holding ``key`` ends: at the next boundary, or the text's end."""
    match = _SCOPE_BOUNDARY_RE.search(text, key)
    return match.start() if match else len(text)


def _modal_kind(match: re.Match[str], text: str) -> tuple[str, bool]:
    """(modality, negated) of one modal: "may not" and "cannot" forbid, so they bind."""
    negated = bool(match["neg"]) or bool(_MODAL_NOT_RE.match(text, match.end()))
    if match["neg"]:
        advisory = match["neg"].lower() == "shouldn't"
        return (DISCRETIONARY if advisory else MANDATORY), True
    if match["mand"]:
        return MANDATORY, negated
    if match["may"] and negated:
        return MANDATORY, True  # "may not", "can not": a prohibition, not a permission
    return DISCRETIONARY, negated


def _negated_in(text: str, spans: list[tuple[int, int]]) -> bool:
    joined = " ".join(text[a:b] for a, b in spans if b > a)
    return bool(_NEGATION_RE.search(_NEGATION_NOISE_RE.sub(" ", joined)))


def _is_restrictive(text: str, start: int, modal: re.Match[str], key: int) -> bool:
    """A "may"/"can" that limits: "may only", "may be used only by", "Only X may"."""
    following = _SCOPED_MODAL_RE.search(text, modal.end(), scope_end(text, key))
    end = following.start() if following else scope_end(text, max(key, modal.end()))
    if re.search(r"(?i)\bdiscretion", text[start:end]):
        return False  # "may, at its discretion and only when asked" still permits
    return bool(_RESTRICTIVE_RE.search(text, start, end))


def _governing_modal(text: str, start: int, key: int) -> re.Match[str] | None:
    """The nearest modal before ``key`` in its clause, unless a new clause intervenes."""
    modals = list(_SCOPED_MODAL_RE.finditer(text, start, key))
    if not modals:
        return None
    modal = modals[-1]
    limit = scope_end(text, key)
    for brk in _CLAUSE_BREAK_RE.finditer(text, modal.end(), limit):
        if brk.start() < key and not _ensures(text, brk):
            return None
    return modal


# "shall ensure that every query is logged": the that-clause is what the modal requires,
# not a new statement of fact.
_ENSURE_RE = re.compile(
    r"(?i)\b(?:ensure|ensures|insure|verify|verifies|confirm|confirms|make\s+sure|"
    r"see\s+to\s+it|require|requires|certify|certifies)\s*$"
)


def _ensures(text: str, brk: re.Match[str]) -> bool:
    return brk.group(0).lower().startswith("that") and bool(
        _ENSURE_RE.search(text, max(0, brk.start() - 30), brk.start())
    )


def _subject_start(text: str, start: int, modal: re.Match[str]) -> int:
    """Where the governing modal's own subject begins (after an earlier modal's clause)."""
    earlier = list(_SCOPED_MODAL_RE.finditer(text, start, modal.start()))
    if not earlier:
        return start
    # Only the joins after the earlier modal count: search there, not from the text's start.
    joins = list(_JOIN_RE.finditer(text, earlier[-1].end(), modal.start()))
    return joins[-1].start() if joins else modal.start()


_JOIN_RE = re.compile(r"(?i)\b(?:and|or)\b|,")


def _read_modal(text: str, start: int, modal: re.Match[str], key: int, after: bool
                ) -> ScopedReading:
    modality, negated = _modal_kind(modal, text)
    rule = MODAL_AFTER if after else MODAL_BEFORE
    words = " ".join(modal.group(0).lower().split())
    if modality == DISCRETIONARY and modal["may"] and _is_restrictive(text, start, modal, key):
        modality, rule, words = MANDATORY, MAY_ONLY, f"{words} ... only"
    elif not after and (key - modal.end() > 60
                        or _COORDINATOR_RE.search(text, modal.end(), key)):
        rule = COORDINATED
    return ScopedReading(modality, negated, rule, words)


# A reading depends on its arguments only, and within a document the same sentence and key
# come back (criteria whose patterns match the same words): a third of the calls. ``detect``
# empties the cache for each document, so no document is read faster for another's words.
@functools.lru_cache(maxsize=4096)
def read_scoped(text: str, key_start: int, key_end: int) -> ScopedReading:
    """Modality and negation of the verb phrase holding ``text[key_start:key_end]``.

    A modal before the key governs it across coordination ("shall log in ... and record a
    reason"); when none does and the key is the subject, the modal after it does ("face
    recognition will not be used"); otherwise the clause states a fact.
    """
    text, offset = around(text, key_start, key_end)
    return _read_scoped(text, key_start - offset, key_end - offset)


def _read_scoped(text: str, key_start: int, key_end: int) -> ScopedReading:
    start = scope_start(text, key_start)
    modal = _governing_modal(text, start, key_start)
    if modal is not None:
        reading = _read_modal(text, start, modal, key_start, after=False)
        subject = _subject_start(text, start, modal)
        negated = reading.negated or _negated_in(text, [(subject, key_start)])
        rest = text[key_end : scope_end(text, key_end)]
        negated = negated or bool(_PROHIBITED_AFTER_RE.match(rest))
        return _with_negation(reading, modal, negated)
    after = _modal_after(text, start, key_start, key_end)
    if after is not None:
        return after
    return _read_fact(text, start, key_start, key_end)


def _modal_after(text: str, start: int, key_start: int, key_end: int) -> ScopedReading | None:
    """The predicate of a subject key: "Images of occupants shall not be captured"."""
    end = scope_end(text, key_end)
    modal = _SCOPED_MODAL_RE.search(text, key_end, end)
    if modal is None:
        return None
    between = text[key_end : modal.start()]
    # A finite verb or a relative word between them means the modal is not the key's own
    # predicate ("action that may include termination").
    if len(between.split()) > 12 or _NOT_SUBJECT_RE.search(between):
        return None
    if _CLAUSE_BREAK_RE.search(text, key_end, modal.end()):
        return None  # "records every search, and users cannot alter them": a new clause
    if _EPISTEMIC_RE.match(text, modal.end()):
        return None  # "the driver may not be the registered owner" states no rule
    reading = _read_modal(text, start, modal, key_start, after=True)
    tail = _MODAL_NOT_RE.match(text, modal.end())
    spans = [(start, key_start), (key_end, tail.end() if tail else modal.end())]
    return _with_negation(reading, modal, reading.negated or _negated_in(text, spans))


def _with_negation(reading: ScopedReading, modal: re.Match[str], negated: bool
                   ) -> ScopedReading:
    # "No officer may ..." forbids as firmly as "may not": a negated "may" binds.
    modality = MANDATORY if negated and modal["may"] else reading.modality
    return ScopedReading(modality, negated, reading.rule, reading.modal)


def _read_fact(text: str, start: int, key_start: int, key_end: int) -> ScopedReading:
    """No modal governs: a statement of practice, negated before or right after the key."""
    # Clip at the last clause break so "X shall not ..., and records are kept" is not negated.
    for brk in _CLAUSE_BREAK_RE.finditer(text, start, key_start):
        start = brk.start()
    negated = _negated_around(text[start:], key_start - start, key_end - start)
    after = text[key_end : scope_end(text, key_end)]
    negated = negated or bool(_FACT_NEGATED_AFTER_RE.match(after))
    return ScopedReading(FACT, negated, PLAIN_FACT)


def read_lead_in(text: str) -> ScopedReading | None:
    """What a lead-in ("The operator shall:", "Data shall not be used for:") passes to the
    list items that complete it; None when it carries no modal and no negation."""
    body = text.rstrip().rstrip(":").rstrip()
    if not body:
        return None
    reading = read_scoped(body, len(body), len(body))
    if reading.modality == FACT and not reading.negated:
        return None
    return reading


def read_clause(text: str, key_start: int, key_end: int) -> Reading:
    """The one reader of legal English every criterion uses: modality and negation of the
    verb phrase holding ``text[key_start:key_end]`` (``read_scoped``), and the exceptions
    that qualify it from there on, with their breadth."""
    scoped = read_scoped(text, key_start, key_end)
    exceptions = exceptions_after(text, key_end)
    return Reading(
        modality=scoped.modality,
        negated=scoped.negated,
        exceptions=tuple(exceptions),
        exception_kinds=tuple(exception_kinds(exceptions)),
        rule=scoped.rule,
        modal=scoped.modal,
    )
