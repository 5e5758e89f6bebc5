"""Detect clause findings in a segmented ``Doc``.

Cheap triggers first: one ``PhraseMatcher`` (token LOWER) holds every topic's trigger
words and runs once over the document; only the sentences it marks are read by the
topic readers, which apply their (costlier) regular-expression rules to that sentence
and its neighbouring lines. Readers say what a clause *is* (a cue such as
``retention.limit`` or ``immigration.use_ban``, with modality, negation, exceptions,
durations and recipients); they never decide levels. That is ``scoring``'s job.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..fields import Field
from ..models import Finding, SourceText
from ..registry import detectors
from ..segment import (
    Line,
    fields_in,
    get_nlp,
    lines_of,
    sentence_bounds,
    text_of,
    token_start,
    tokenizer_of,
)

# Importing the detector modules registers their readers (registry.register_detector).
from . import immigration, reporting, retention, sharing  # noqa: F401
from .clause import read_exceptions, read_scoped
from .elements import detect_elements

if TYPE_CHECKING:
    from ..rubric import Rubric


@dataclass(slots=True)
class Clause:
    """A sentence, with the line it sits in and that line's neighbours."""

    start: int
    end: int
    text: str
    line_index: int
    lines: list[Line] = field(repr=False)
    source: str = field(default="", repr=False)  # the whole document text
    # The next sentence of the document (readers may need it: "The report shall state ...").
    following: Clause | None = field(default=None, repr=False, compare=False)

    def quote(self, start: int, end: int) -> str:
        """The document's exact words from ``start`` to ``end`` (evidence must be verbatim:
        a label and its value on the next line keep the line break between them)."""
        return self.source[start:end]

    @property
    def line(self) -> Line:
        return self.lines[self.line_index]

    def neighbour(self, step: int) -> Line | None:
        index = self.line_index + step
        return self.lines[index] if 0 <= index < len(self.lines) else None

    @property
    def section(self) -> str | None:
        return self.line.section

    @property
    def label(self) -> str | None:
        return self.line.label


Reader = Callable[[Clause], list[Finding]]
FieldReader = Callable[[Field], list[Finding]]

# The core detectors register themselves by topic (``registry.register_detector``) when
# their modules are imported above; a new topic is one module with one decorated reader.
READERS: Mapping[str, tuple[tuple[str, ...], Reader]] = detectors()


# Readers of label/value fields ("Data Retention" / "30 days"): they ask the structure.
FIELD_READERS: tuple[FieldReader, ...] = (retention.read_field, sharing.read_field,
                                          reporting.read_field)


@functools.cache
def _matcher() -> PhraseMatcher:
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for topic, (triggers, _) in READERS.items():
        matcher.add(topic, list(tokenizer_of(nlp).pipe(triggers)))
    return matcher


def clauses_of(doc: Doc) -> list[Clause]:
    lines = lines_of(doc)
    line_starts = [line.start for line in lines]
    whole = text_of(doc)
    clauses = []
    for sentence_start, sentence_end in sentence_bounds(doc):
        text = whole[sentence_start:sentence_end]
        stripped = text.strip()
        if not stripped:
            continue
        start = sentence_start + (len(text) - len(text.lstrip()))
        index = max(0, bisect.bisect_right(line_starts, start) - 1)
        clauses.append(Clause(start, start + len(stripped), stripped, index, lines, whole))
    for clause, after in itertools.pairwise(clauses):
        clause.following = after
    return clauses


def detect(
    doc: Doc, source: SourceText | None = None, rubric: Rubric | None = None
) -> list[Finding]:
    """Every finding in the document, in document order (with the rubric's own criteria)."""
    read_scoped.cache_clear()
    clauses = clauses_of(doc)
    starts = [clause.start for clause in clauses]
    wanted: dict[str, set[int]] = {topic: set() for topic in READERS}
    vocab = doc.vocab.strings
    for match_id, first, _ in _matcher()(doc):
        char = token_start(doc, first)
        index = bisect.bisect_right(starts, char) - 1
        if index >= 0:
            wanted[vocab[match_id]].add(index)
    # URLs are single tokens the phrase matcher cannot see into: a plain find is enough.
    text = text_of(doc)
    for marker in ("http", "www."):
        at = text.find(marker)
        while at != -1:
            wanted["reporting"].add(bisect.bisect_right(starts, at) - 1)
            at = text.find(marker, at + 1)
    findings: list[Finding] = []
    # A caption ("Organizations granted access to our data.") describes a field; it states
    # no rule of its own. The field readers read it with its label and value.
    captions = {found.caption.start for found in fields_in(doc) if found.caption is not None}
    for topic, (_, reader) in READERS.items():
        for index in sorted(wanted[topic]):
            if clauses[index].line.start not in captions:
                findings.extend(reader(clauses[index]))
    for found in fields_in(doc):
        for read_field in FIELD_READERS:
            findings.extend(read_field(found))
    findings.extend(reporting.read_page(lines_of(doc)))
    if rubric is not None:
        findings.extend(detect_elements(doc, clauses, list(rubric.criteria)))
    for finding in findings:
        # Evidence is the document's exact words: a reader that joins a label line and its
        # value ("Agencies we share with" + the list) must not put a space for the line
        # break, or ``text[start:end] == evidence.text`` fails.
        finding.text = text[finding.start : finding.end]
        finding.exception_reads = read_exceptions(finding.exceptions)
    if source is not None:
        for finding in findings:
            finding.page = source.page_at(finding.start)
    findings.sort(key=lambda f: (f.start, f.topic))
    return findings
