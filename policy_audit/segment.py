"""Turn normalised text into a spaCy ``Doc`` with lines, sections and sentences.

The ``Doc`` text is exactly the ingested text, so every offset stays true. Ingest puts one
paragraph, heading or list item per line; here each line is classified (heading, label,
list item, body), every sentence is kept inside its line, and each line knows the heading
of the section it sits in. Pipes are registered once and the pipeline is built once per
process (``get_nlp``): nothing is recompiled per document.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from .fields import Field, fields_of

# Headings that open a section: "462.5   RETENTION", "Section 9 Log of Use", "# Sharing",
# "IV. DATA RETENTION", "ARTICLE 3 - SHARING".
_NUMBERED_HEADING = re.compile(
    r"^\s*(?:§\s*)?(?:\d{1,4}(?:\.\d{1,3})+\.?|[IVX]{1,5}\.|(?:section|article|part|chapter)"
    r"\s+[\dIVX]+[.:]?(?:\s*[-–—]\s*)?|\d{1,2}\.)\s+[A-Z][^\n]{1,90}$",
    re.IGNORECASE,
)
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_LIST_ITEM = re.compile(r"^\s*(?:\(?[a-z]{1,3}\)|\(?\d{1,2}\)|[a-z]\.\s|\d{1,2}\.\s|[•▪●◦·*-]\s?)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9•§])")
_ABBREVIATION = re.compile(
    r"(?i)(?:\b(?:no|nos|sec|secs|stat|stats|civ|gov|pen|veh|minn|cal|va|wash|or|ill|fla|"
    r"e\.g|i\.e|etc|u\.s|inc|co|corp|mr|mrs|ms|dr|st|vs|v|art|subd|para|para|seq|approx|"
    r"dept|ord|res|ch|p|pp|vol|fig|n\.h|r\.s\.a|ann|rev)\.|\b[A-Z]\.)$"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document: a heading, a short label, a list item or body text."""

    start: int
    end: int
    text: str
    kind: str  # "heading" | "label" | "item" | "body"
    section: str | None  # heading of the enclosing section
    label: str | None  # nearest preceding heading or label line (portal key/value pages)


def classify_line(text: str) -> str:
    stripped = text.strip()
    words = stripped.split()
    if _MARKDOWN_HEADING.match(stripped) or (_NUMBERED_HEADING.match(stripped) and (
        len(words) <= 14 and not stripped.endswith((".", ";", ","))
    )):
        return "heading"
    if _LIST_ITEM.match(stripped):
        return "item"
    # Letters are counted only on a short line: a long one is never a heading, and counting
    # a whole policy put on one line cost a tenth of its audit.
    letters = [c for c in stripped if c.isalpha()] if len(words) <= 12 else []
    if (
        letters
        and sum(c.isupper() for c in letters) / len(letters) > 0.85
        and len(letters) >= 4
    ):
        return "heading"
    if (
        len(words) <= 9
        and stripped[:1].isupper()
        and not stripped.endswith((".", ";", ",", ":"))
        and not re.search(r"\b(?:shall|must|will|may|is|are)\b", stripped)
    ):
        return "label"
    return "body"


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    section: str | None = None
    label: str | None = None
    position = 0
    for raw in text.split("\n"):
        start, end = position, position + len(raw)
        position = end + 1
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start, end = start + lead, start + lead + len(stripped)
        kind = classify_line(stripped)
        heading_text = stripped.lstrip("#").strip()
        if kind == "heading":
            section = label = heading_text
        lines.append(Line(start, end, stripped, kind, section, label))
        if kind == "label":
            label = heading_text
            section = section or heading_text
    return lines


def sentence_starts(text: str, lines: list[Line]) -> set[int]:
    """Character offsets where sentences start: every line, and sentence ends within lines."""
    starts: set[int] = set()
    for line in lines:
        starts.add(line.start)
        if line.kind == "body" or line.kind == "item":
            for match in _SENTENCE_END.finditer(line.text):
                if not _ends_with_abbreviation(line.text, match.start()):
                    starts.add(line.start + match.end())
    return starts


# Longer than any abbreviation above ("r.s.a." with its word boundary), so a match found in
# the window is the match in the whole line.
_ABBREVIATION_WINDOW = 24


def _ends_with_abbreviation(text: str, end: int) -> bool:
    """Whether ``text[:end]``, closing quotes and brackets aside, ends with an abbreviation.
    Only the last few characters are searched: searching the whole line before each
    sentence end made one long line quadratic (a 1,000,000-character line: minutes)."""
    while end and text[end - 1] in "\"'”’)]":
        end -= 1
    return bool(_ABBREVIATION.search(text, max(0, end - _ABBREVIATION_WINDOW), end))


@Language.component("policy_audit_structure")
def structure_component(doc: Doc) -> Doc:
    """Set sentence starts on line and sentence boundaries; record sections as spans."""
    text = text_of(doc)
    lines = split_lines(text)
    starts = sentence_starts(text, lines)
    # One array write: setting ``token.is_sent_start`` token by token re-checks the whole
    # Doc's annotation each time, which is quadratic (10 s for a 25,000-word policy). The
    # tokens' offsets come as one array too: a Python loop over the tokens cost a fifth of
    # the tokenizer's own time.
    offsets = doc.to_array([IDX]).reshape(-1)
    signs = numpy.where(
        numpy.isin(offsets, numpy.fromiter(starts, dtype=offsets.dtype, count=len(starts))),
        1, -1,
    ).astype(numpy.int64)
    if len(signs):
        signs[0] = 1
    flags = signs.astype(numpy.uint64).reshape(-1, 1)  # spaCy stores -1 ("not a start") as uint64
    if len(doc):
        doc.from_array([SENT_START], flags)  # type: ignore[arg-type]  # spaCy's stub: Ints2d
    doc.user_data["policy_audit_lines"] = lines
    doc.user_data["policy_audit_fields"] = fields_of(lines)
    # Where each token and each sentence starts, as plain numbers: readers look these up
    # thousands of times, and each spaCy Token or Span made for it is a Python object.
    doc.user_data[_TOKEN_STARTS] = offsets.tolist()
    doc.user_data[_SENTENCE_STARTS] = offsets[signs == 1].tolist() if len(signs) else []
    sections: list[Span] = []
    headings = [line for line in lines if line.kind == "heading"]
    for index, heading in enumerate(headings):
        end_char = headings[index + 1].start if index + 1 < len(headings) else len(text)
        span = doc.char_span(heading.start, end_char, label=heading.text[:120],
                             alignment_mode="expand")  # fmt: skip
        if span is not None:
            sections.append(span)
    doc.spans["sections"] = sections
    return doc


@functools.cache
def get_nlp() -> Language:
    """The shared pipeline: blank English tokenizer plus the structure component."""
    nlp = spacy.blank("en")
    # Only the tokenizer runs (no parser), so ingest's own character limit governs.
    nlp.max_length = 3_100_000
    tokenizer_of(nlp).token_match = _keep_whole
    nlp.add_pipe("policy_audit_structure")
    return nlp


# spaCy strips prefixes and suffixes one character at a time, searching the whole
# remaining string each time: a run of 20,000 "*" took 30 s, quadratic. A long string that
# starts or ends with a run of punctuation is kept as one token instead (no word hides in
# such a run; a URL ending "….pdf." still has its full stop split off as before).
_LONG_STRING = 40
_AFFIX_RUN = 8


def _keep_whole(string: str) -> bool:
    if len(string) <= _LONG_STRING:
        return False
    return not any(c.isalnum() for c in string[:_AFFIX_RUN]) or not any(
        c.isalnum() for c in string[-_AFFIX_RUN:]
    )


def tokenizer_of(nlp: Language) -> Tokenizer:
    """The pipeline's tokenizer, typed (spaCy declares it as any callable)."""
    tokenizer: Tokenizer = nlp.tokenizer
    return tokenizer


def make_doc(text: str) -> Doc:
    nlp = get_nlp()
    _cache_words(tokenizer_of(nlp), text)
    # spaCy rebuilds ``Doc.text`` from every token each time it is read (a Python object
    # per token: as long as tokenizing again). The text is known: keep it with the Doc.
    doc = nlp.make_doc(text)
    doc.user_data[_TEXT] = text
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


_TEXT = "policy_audit_text"
_TOKEN_STARTS = "policy_audit_token_starts"
_SENTENCE_STARTS = "policy_audit_sentence_starts"

# spaCy's tokenizer caches how it split each whitespace-delimited chunk, but stops caching
# for the rest of a document once a special case ("don't", "a.m.", "No.") has been seen in
# it (spaCy issue #1250). Real policies have one early, so about half the words of every
# document were split again, affix by affix: the tokenizer ran at a tenth of its cached
# speed. Tokenizing each new chunk on its own first caches exactly what spaCy would cache
# had that chunk come first in some document, so the tokens are unchanged. The set of
# chunks seen is bounded: past it, new chunks are tokenized the ordinary way.
_CACHED_CHUNKS: set[str] = set()
_CACHED_CHUNKS_LIMIT = 200_000


def learn_words(text: str) -> None:
    """Cache how the tokenizer splits the words of ``text`` (a worker learns its rubrics'
    examples and model language when it starts, so the first policies it reads, which use
    the same vocabulary, do not pay for splitting every word)."""
    _cache_words(tokenizer_of(get_nlp()), text)


def _cache_words(tokenizer: Tokenizer, text: str) -> None:
    room = _CACHED_CHUNKS_LIMIT - len(_CACHED_CHUNKS)
    if room <= 0:
        return
    new = set(text.split())
    new -= _CACHED_CHUNKS
    for chunk in itertools.islice(new, room):
        tokenizer(chunk)
        _CACHED_CHUNKS.add(chunk)


def text_of(doc: Doc) -> str:
    """The Doc's text, without rebuilding it from its tokens when ``make_doc`` kept it."""
    text = doc.user_data.get(_TEXT)
    return text if isinstance(text, str) else doc.text


def token_start(doc: Doc, index: int) -> int:
    """Character offset of token ``index`` (``doc[index].idx`` without making a Token)."""
    starts: list[int] = doc.user_data[_TOKEN_STARTS]
    return starts[index]


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence, in order: the same text as each of
    ``doc.sents`` (a sentence runs to where the next one starts), without making Spans."""
    starts: list[int] = doc.user_data[_SENTENCE_STARTS]
    ends = [*starts[1:], len(text_of(doc))]
    return list(zip(starts, ends, strict=True))


def lines_of(doc: Doc) -> list[Line]:
    lines: list[Line] = doc.user_data["policy_audit_lines"]
    return lines


def fields_in(doc: Doc) -> list[Field]:
    """The document's label/value fields (see ``policy_audit.fields``)."""
    fields: list[Field] = doc.user_data["policy_audit_fields"]
    return fields
