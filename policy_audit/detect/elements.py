"""Clauses for criteria defined in rubric data (scorer ``elements``).

Each such criterion brings its own trigger words, element patterns and loophole patterns
(``rubric.DetectSpec``). One ``PhraseMatcher`` per rubric, built once and cached, marks the
sentences that use a criterion's trigger words (a sentence under a heading or label that
uses them counts too); only those sentences are searched for the patterns. Each finding
says which elements a sentence states firmly (``element.<id>``), which only softly
(``element.<id>.soft``: "should", "may", a swallowing exception, the wrong polarity), which
only with an approval exception (``element.<id>.qualified``: "unless approved by a
supervisor"; the exception is kept in the finding's ``exceptions``) and which loopholes it
contains (``loophole.<id>``). When a reading rule beyond the plain one decided an element,
a cue ``element.<id>.via-<rule>`` says which (coordinated, may-only, modal-after, lead-in,
heading), so every judgement can be traced.

Reading is scoped to the clause (``clause.read_scoped``): a modal governs every verb
coordinated with it; "may only" restricts; a key in subject position takes the modal after
it. List items complete their lead-in ("The operator shall:", "Data shall not be used for:")
and are read under their heading ("Prohibited Uses", "What's Not Detected").
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..models import Finding
from ..prefilter import Prefiltered, fast_pattern
from ..rubric import compiled
from ..segment import get_nlp, token_start, tokenizer_of
from .clause import (
    CLAUSE_WINDOW,
    DISCRETIONARY,
    EXCEPTION_RE,
    NARROW_EXCEPTIONS,
    PLAIN_FACT,
    ScopedReading,
    around,
    exception_kinds,
    exception_phrase,
    read_lead_in,
    read_scoped,
    scope_start,
)
from .common import PROHIBITED_CONTEXT_RE, in_prohibited_list, list_head, make_finding

if TYPE_CHECKING:
    from ..rubric import Criterion, ElementSpec
    from ..segment import Line
    from . import Clause

# Exceptions that leave an element standing are the narrow ones (clause.NARROW_EXCEPTIONS);
# any other kind ("as permitted by law", "with the Chief's approval") can swallow it.
# "as authorized by state statute" names enacted law, like "except as provided in § 13.824":
# harmless, unlike an open "as permitted by law" or "legal process".
_STATUTE_NAMED_RE = fast_pattern(r"(?i)\b(?:statutes?|§|stat\.)")
_LAW_WORD_RE = fast_pattern(r"(?i)\b(?:law|laws|legal|legally)\b")
# An approval exception ("unless approved by a supervisor") leaves the element standing but
# qualified: it is reported as such rather than dropped.
_QUALIFYING_EXCEPTIONS = frozenset({"approval"})
# "unless a commander authorizes otherwise", "unless otherwise approved": the approver may set
# the rule aside altogether, so the exception swallows it (as the rubric's examples say).
_BLANKET_WAIVER_RE = fast_pattern(r"(?i)\botherwise\b|\bat\s+(?:the|his|her|their)\s+"
                                r"(?:sole\s+)?discretion\b")
# A heading or label saying what is NOT done ("What's Not Detected", "Information not
# collected", "Uses not permitted"): its items are statements that the thing is not done.
_NEGATIVE_HEADING_RE = fast_pattern(
    r"(?i)\b(?:not|never|no)\b[\s-]+(?:\w+\s+){0,2}?(?:collect\w*|captur\w*|detect\w*|"
    r"record\w*|stor(?:e|ed|ing)|retain\w*|gather\w*|permitted|allowed|authori[sz]ed|used?|"
    r"shared?|sold|track\w*|identif\w*|monitor\w*|do(?:es)?)\b|\b(?:does|do|will)\s+not\b|"
    r"\b(?:prohibit\w*|forbidden|disallowed)\b"
)
# A sentence that opens by pointing back ("Thereafter, the data is purged", "At that point
# ...") goes on from the one before it, which says what "that" is: ``about`` reads both.
_CONTINUATION_RE = fast_pattern(
    r"(?i)^\W*(?:thereafter|after\s+(?:that|this)(?:\s+(?:time|period|date))?|at\s+that\s+"
    r"(?:point|time)|upon\s+(?:expiration|expiry)|then)\b"
)
# How far back a list item looks for the lead-in line it completes.


@dataclass(frozen=True)
class _Context:
    """What frames a clause: the line its list hangs from and the headings it sits under."""

    lead_in: str | None  # a line ending in ":" that the clause completes ("The operator shall:")
    head: str | None  # the line a list hangs from: a lead-in, or a short heading-like line
    negative_heading: bool  # under "Prohibited Uses", "What's Not Detected" and the like
    key: Line | None = None  # the label line right above a value line ("Hotlists Alerted On")
    continues: str | None = None  # the sentence a "Thereafter, ..." sentence goes on from


@dataclass(frozen=True)
class _State:
    """One element's reading in one clause: its cue suffix, the rules that fired, and the
    approval exception that qualifies it (if any)."""

    suffix: str  # "" firm, ".qualified", ".soft"
    rules: tuple[str, ...] = ()
    exception: str | None = None


@functools.lru_cache(maxsize=32)
def _matcher(triggers: tuple[tuple[str, tuple[str, ...]], ...]) -> PhraseMatcher:
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for criterion_id, words in triggers:
        matcher.add(criterion_id, list(tokenizer_of(nlp).pipe(words)))
    return matcher


@functools.lru_cache(maxsize=256)
def _heading_re(words: tuple[str, ...]) -> Prefiltered:
    return fast_pattern(r"(?i)\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def detect_elements(doc: Doc, clauses: list[Clause], criteria: list[Criterion]) -> list[Finding]:
    wanted = [c for c in criteria if c.detect is not None]
    if not wanted or not clauses:
        return []
    key = tuple((c.id, tuple(c.detect.triggers)) for c in wanted if c.detect)
    starts = [clause.start for clause in clauses]
    marked: dict[str, set[int]] = {c.id: set() for c in wanted}
    strings = doc.vocab.strings
    for match_id, first, _ in _matcher(key)(doc):
        index = bisect.bisect_right(starts, token_start(doc, first)) - 1
        if index >= 0:
            marked[strings[match_id]].add(index)
    heads = [_frame_head(clause) for clause in clauses]
    # The headings, labels and lead-in that frame each clause (computed once, not once per
    # criterion). They repeat over many sentences: each distinct one is tested once.
    frames = [{t for t in (clause.line.section, clause.line.label,
                           head.text if head is not None else None) if t is not None}
              for clause, head in zip(clauses, heads, strict=True)]
    # The rest of a clause's context only for the clauses some criterion reads.
    contexts: dict[int, _Context] = {}
    headings = set().union(*frames)
    about_texts: dict[int, str] = {}
    findings: list[Finding] = []
    for criterion in wanted:
        spec = criterion.detect
        assert spec is not None
        pattern = _heading_re(tuple(spec.triggers))
        on_topic = {h for h in headings if pattern.search(h)}
        # Clauses that use the criterion's words, or sit under a heading that does.
        chosen = marked[criterion.id] | (
            {i for i, framed in enumerate(frames) if not on_topic.isdisjoint(framed)}
            if on_topic else set()
        )
        for index in sorted(chosen):
            clause = clauses[index]
            context = contexts.get(index)
            if context is None:
                context = contexts[index] = _context_of(
                    clause, clauses[index - 1] if index else None, heads[index])
            if spec.about is not None:
                about = about_texts.get(index)
                if about is None:  # the same for every criterion: built once per clause
                    about = about_texts[index] = _about_text(clause, context)
                if not compiled(spec.about).test(about):
                    continue
            finding = _read(clause, criterion, context)
            if finding is not None:
                findings.append(finding)
    return findings


def _about_text(clause: Clause, context: _Context) -> str:
    """The clause read with what frames it: a bare item under "Prohibited Uses" or after
    "ALPR data shall not be used for:" is about what its heading or lead-in says.

    The sentence is the first line (after the sentence it goes on from, for "Thereafter,
    ..."); each frame follows on a line of its own, so an ``about`` can ask for a word in
    the sentence itself with ``^[^\\n]*`` (a vendor named in a document's title does not say
    where its data is deleted)."""
    # Labels frame list items only: a label line's own "label" is just the previous key of a
    # key/value page, and a body sentence can sit far below a label it has nothing to do with.
    # The label right above a value line frames it too ("Hotlists Alerted On" / "NCIC").
    label = clause.label if clause.line.kind == "item" or context.key is not None else None
    frames = (clause.section, label, context.head)
    sentence = clause.text if context.continues is None else f"{context.continues} {clause.text}"
    return "\n".join([sentence.replace("\n", " "), *(f for f in frames if f)])


def _framed_text(clause: Clause, context: _Context) -> str:
    """The text element and loophole patterns read: a value line is read after its key, as
    "Hotlists Alerted On: NCIC, NCMEC Amber Alert" (a colon bounds the key's scope, so the
    key lends its words but not its modality, unless it is a lead-in that carries one)."""
    if context.key is None:
        return clause.text
    return f"{context.key.text.strip()}: {clause.text}"


def _key_of(clause: Clause) -> Line | None:
    """The label line a value line sits right under, on a key/value page: the value is
    the first sentence of a short, non-list line, and the line above it is a label."""
    line = clause.line
    if line.kind not in ("label", "body") or clause.start != line.start:
        return None
    previous = clause.neighbour(-1)
    if previous is None or previous.kind != "label" or previous.text.rstrip().endswith(":"):
        return None
    return previous


def _frame_head(clause: Clause) -> Line | None:
    """The line a clause's list hangs from, when it frames the clause: a lead-in ending in
    ":" or a short heading-like line."""
    head = list_head(clause)
    if head is None or head.text.rstrip().endswith(":") or _is_heading_like(head):
        return head
    return None


def _context_of(clause: Clause, previous: Clause | None, head: Line | None) -> _Context:
    """``head``: the clause's ``_frame_head``."""
    lead_in = head.text if head is not None and head.text.rstrip().endswith(":") else None
    frames = [t for t in (clause.label, clause.section) if t]
    if head is not None:
        frames.append(head.text)
    negative = any(_negative_frame(t) for t in frames)
    continues = None
    if previous is not None and _CONTINUATION_RE.match(clause.text):
        continues = previous.text
    return _Context(lead_in, head.text if head is not None else None, negative, _key_of(clause),
                    continues)


@functools.lru_cache(maxsize=1024)
def _negative_frame(text: str) -> bool:
    # A heading frames every sentence under it: its reading is asked for again and again.
    return _NEGATIVE_HEADING_RE.search(text) is not None


def _is_heading_like(line: Line) -> bool:
    """A short line without sentence punctuation ("What is not collected") heads its list."""
    text = line.text.strip()
    return line.kind != "item" and len(text.split()) <= 9 and not text.endswith((".", ";", ","))


def _read(clause: Clause, criterion: Criterion, context: _Context) -> Finding | None:
    spec = criterion.detect
    assert spec is not None
    if clause.text.rstrip().endswith("?"):
        return None
    text = _framed_text(clause, context)
    cues: list[str] = []
    exceptions: list[str] = []
    for element in spec.elements:
        state = _element_state(clause, text, element, context)
        if state is None:
            continue
        cues.append(f"element.{element.id}{state.suffix}")
        cues += [f"element.{element.id}.via-{rule}" for rule in state.rules]
        if state.exception is not None and state.exception not in exceptions:
            exceptions.append(state.exception)
    cues += [f"loophole.{lh.id}" for lh in spec.loopholes if compiled(lh.pattern).test(text)]
    # Evidence names the first cue as its rule: keep an element or loophole cue first.
    cues.sort(key=lambda cue: ".via-" in cue)
    finding = make_finding(clause, criterion.id, cues or ["addressed"])
    finding.exceptions = exceptions
    if context.key is not None and cues:  # quote the key with its value, verbatim
        finding.start = context.key.start
        finding.text = clause.quote(finding.start, finding.end)
    return finding


def _element_state(clause: Clause, text: str, element: ElementSpec, context: _Context
                   ) -> _State | None:
    """How firmly the clause (``text``, framed by its key) states the element, or None when
    it does not mention it."""
    # Matches are found one at a time: the first binding one ends the search, and the rest
    # of a long clause (a portal's list of agencies) need not be scanned.
    matches = compiled(element.pattern).finditer(text)
    first = next(matches, None)
    if first is None:
        return None
    if element.require == "any":
        return _State("")
    prohibiting = in_prohibited_list(clause) or bool(PROHIBITED_CONTEXT_RE.search(text))
    best = _State(".soft")
    for match in itertools.chain((first,), matches):
        reading, rules = _reading(text, match, context)
        prohibited = prohibiting or (context.negative_heading and "lead-in" not in rules)
        if not _binding(reading, element.require, prohibited):
            continue
        if element.require == "ban" and not reading.negated and context.negative_heading:
            rules = (*rules, "heading")
        swallowing, qualifying = _exceptions(text, match.end())
        if swallowing:
            continue
        if qualifying is None:
            return _State("", rules)
        if best.suffix == ".soft":
            best = _State(".qualified", rules, qualifying)
    return best


def _binding(reading: ScopedReading, require: str, prohibited: bool) -> bool:
    """Whether the reading states the element in binding terms with the right polarity."""
    if reading.modality == DISCRETIONARY:
        return False  # "should", "may" (but "may not", "may only" read as binding)
    if require == "ban":
        return reading.negated or prohibited
    return not reading.negated


def _reading(text: str, match: re.Match[str], context: _Context
             ) -> tuple[ScopedReading, tuple[str, ...]]:
    """The scoped reading of one match; a bare list item takes its lead-in's modality."""
    reading = read_scoped(text, match.start(), match.end())
    if reading.rule != PLAIN_FACT:
        rules = () if reading.rule == "modal-before" else (reading.rule,)
        return reading, rules
    lead = _inline_lead_in(text, match.start())
    if lead is None and context.lead_in is not None:
        lead = read_lead_in(context.lead_in)
    if lead is None:
        return reading, ()
    # The item completes the lead-in: "shall not be used for:" + "immigration enforcement".
    return ScopedReading(lead.modality, lead.negated or reading.negated, "lead-in",
                         lead.modal), ("lead-in",)


def _inline_lead_in(text: str, key: int) -> ScopedReading | None:
    """A lead-in inside the sentence: "The operator shall: (a) log in; (b) record ..."."""
    text, offset = around(text, key, key)  # a long text is read near the key only
    key -= offset
    colon = text.rfind(":", 0, key)
    if colon < 0 or text[colon + 1 : colon + 2].isdigit():
        return None
    return read_lead_in(text[scope_start(text, colon) : colon])


_ONLY_BEFORE_RE = fast_pattern(r"(?i)\bonly\s+$")


def _exceptions(text: str, key_end: int) -> tuple[bool, str | None]:
    """(an exception swallows the element, the approval exception that qualifies it)."""
    qualifying = None
    # As ``clause.exceptions_after``: within the clause window, each phrase read up to its
    # first 200 characters, without copying the text before or after it.
    for found in EXCEPTION_RE.finditer(text, key_end, key_end + CLAUSE_WINDOW):
        if _ONLY_BEFORE_RE.search(text, max(0, found.start() - 40), found.start()):
            continue  # "only with the approval of" is a requirement, not an exception
        phrase = exception_phrase(text, found.start())
        kind = exception_kinds([phrase])[0]
        if kind == "law" and _STATUTE_NAMED_RE.search(phrase) and not _LAW_WORD_RE.search(phrase):
            kind = "statute"  # "unless explicitly authorized by state statute": enacted law
        if kind in _QUALIFYING_EXCEPTIONS and not _BLANKET_WAIVER_RE.search(phrase):
            qualifying = qualifying or phrase
        elif kind not in NARROW_EXCEPTIONS:
            return True, None
    return False, qualifying
