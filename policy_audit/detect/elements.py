"""Clauses for criteria defined in rubric data (scorer ``elements``).

Each such criterion brings its own trigger words, element patterns and loophole patterns
(``rubric.DetectSpec``). One ``PhraseMatcher`` per rubric, built once and cached, marks the
sentences that use a criterion's trigger words (a sentence under a heading or label that
uses them counts too); only those sentences are searched for the patterns. Each finding
says which elements a sentence states firmly (``element.<id>``), which only softly
(``element.<id>.soft``: "should", "may", a swallowing exception, the wrong polarity) and
which loopholes it contains (``loophole.<id>``).
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..models import Finding
from ..segment import get_nlp
from .clause import DISCRETIONARY, exception_kinds, read_clause
from .common import PROHIBITED_CONTEXT_RE, in_prohibited_list, make_finding

if TYPE_CHECKING:
    from ..rubric import Criterion, ElementSpec
    from . import Clause

# Exceptions that leave an element standing; any other kind ("as permitted by law", "with
# the Chief's approval") can swallow it.
_HARMLESS_EXCEPTIONS = frozenset({"judicial", "evidence", "statute"})


@functools.lru_cache(maxsize=32)
def _matcher(triggers: tuple[tuple[str, tuple[str, ...]], ...]) -> PhraseMatcher:
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for criterion_id, words in triggers:
        matcher.add(criterion_id, list(nlp.tokenizer.pipe(words)))
    return matcher


@functools.lru_cache(maxsize=256)
def _heading_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?i)\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def detect_elements(doc: Doc, clauses: list[Clause], criteria: list[Criterion]) -> list[Finding]:
    wanted = [c for c in criteria if c.detect is not None]
    if not wanted or not clauses:
        return []
    key = tuple((c.id, tuple(c.detect.triggers)) for c in wanted if c.detect)
    starts = [clause.start for clause in clauses]
    marked: dict[str, set[int]] = {c.id: set() for c in wanted}
    strings = doc.vocab.strings
    for match_id, token_start, _ in _matcher(key)(doc):
        index = bisect.bisect_right(starts, doc[token_start].idx) - 1
        if index >= 0:
            marked[strings[match_id]].add(index)
    # Headings and labels repeat over many sentences: test each distinct one once.
    headings = {t for c in clauses for t in (c.section, c.label) if t is not None}
    findings: list[Finding] = []
    for criterion in wanted:
        spec = criterion.detect
        assert spec is not None
        pattern = _heading_re(tuple(spec.triggers))
        on_topic = {h for h in headings if pattern.search(h)}
        for index, clause in enumerate(clauses):
            under = clause.section in on_topic or clause.label in on_topic
            if index not in marked[criterion.id] and not under:
                continue
            context = f"{clause.text} {clause.section or ''}"
            if spec.about is not None and not _compiled(spec.about).search(context):
                continue
            finding = _read(clause, criterion)
            if finding is not None:
                findings.append(finding)
    return findings


def _read(clause: Clause, criterion: Criterion) -> Finding | None:
    spec = criterion.detect
    assert spec is not None
    text = clause.text
    if text.rstrip().endswith("?"):
        return None
    cues: list[str] = []
    for element in spec.elements:
        state = _element_state(clause, element)
        if state is not None:
            cues.append(f"element.{element.id}{state}")
    cues += [f"loophole.{lh.id}" for lh in spec.loopholes if _compiled(lh.pattern).search(text)]
    return make_finding(clause, criterion.id, cues or ["addressed"])


def _element_state(clause: Clause, element: ElementSpec) -> str | None:
    """"" when stated firmly, ".soft" when only softly, None when absent."""
    text = clause.text
    matches = list(_compiled(element.pattern).finditer(text))
    if not matches:
        return None
    if element.require == "any":
        return ""
    prohibiting = in_prohibited_list(clause) or bool(PROHIBITED_CONTEXT_RE.search(text))
    for match in matches:
        reading = read_clause(text, match.start(), match.end())
        swallowed = any(k not in _HARMLESS_EXCEPTIONS for k in exception_kinds(
            list(reading.exceptions)))
        if swallowed or (reading.modality == DISCRETIONARY and not reading.negated):
            continue
        if element.require == "ban" and (reading.negated or prohibiting):
            return ""
        if element.require == "firm" and not reading.negated:
            return ""
    return ".soft"
