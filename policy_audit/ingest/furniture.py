"""Page furniture: running headers and footers, page numbers and copyright lines.

``furniture_of`` says, line by line, which lines are furniture and why; ``strip`` drops
them, and ``explain_empty`` tells a user whose document is nothing but furniture what
was removed, instead of calling it empty.

A running header or footer (digits ignored, so "Page 3 of 9" and "Page 4 of 9" are the
same line) is only ever a minority of a document's lines: when the lines taken for it
would be half the text or more, it is the body repeated (a pasted list of one rule, a
page that says the same thing each time), not the frame around it, and it is kept.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from typing import Literal

from ..prefilter import fold

Reason = Literal["running", "page number", "boilerplate"]

_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:[-–—]\s*)?(?:page\s*)?#(?:\s*(?:of|/)\s*#)?(?:\s*[-–—])?$"
)
_PAGE_OF = re.compile(r"(?i)\bpage\s+\d+\s+(?:of|/)\s+\d+\b")
_COPYRIGHT = re.compile(r"(?i)^(?:copyright\b|©|\(c\)\s*\d{4}).{0,200}$|all rights reserved")
# A numbered line that starts a block ("(a) …", "462.6 RETENTION") is content, however
# often its shape recurs in a page-less text.
STARTS_BLOCK = re.compile(
    r"^(?:\(?[A-Za-z0-9]{1,3}[.)]\s|[•▪●◦·*–-]\s|#{1,6}\s|§\s*\d|\d{1,4}(?:\.\d{1,3})+\.?\s"
    r"|(?:section|article|chapter|part)\s+[\dIVX]+\b)",
    re.IGNORECASE,
)
_EDGE = 4  # lines at the top and at the bottom of a page where a page number may sit


def key(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def letters(line: str) -> int:
    return sum(map(str.isalpha, line))  # map: three times faster than a generator


def is_boilerplate(line: str) -> bool:
    """"Page 3 of 9" inside a line, or a copyright line: furniture wherever it is."""
    if len(line) >= 200:
        return False
    # Each pattern needs one of these words (folded as re folds case): most lines have none.
    folded = fold(line)
    if not any(word in folded for word in _BOILERPLATE_WORDS):
        return False
    return bool(
        (_PAGE_OF.search(line) and len(line) < 100)
        or _COPYRIGHT.search(line)
    )


_BOILERPLATE_WORDS = ("page", "copyright", "©", "(c)", "all rights reserved")


def furniture_of(pages: list[list[str]], *, paged: bool) -> list[list[Reason | None]]:
    """For each line of each page: why it is furniture, or None for a line of the text."""
    running = _paged_running(pages) if paged else _copied_footers(pages)
    total = sum(1 for lines in pages for line in lines if line)
    if 2 * sum(map(sum, running)) >= total:
        # Furniture frames the text; "furniture" that is half of it or more is the text.
        running = [[False] * len(lines) for lines in pages]
    reasons: list[list[Reason | None]] = []
    for lines, repeated in zip(pages, running, strict=True):
        edges: set[int] = set()
        if paged and len(pages) > 1:
            nonblank = [i for i, line in enumerate(lines) if line]
            edges = set(nonblank[:_EDGE] + nonblank[-_EDGE:])
        # Any other line is text: only these are asked why (a few calls a line otherwise).
        asked = edges | _with_boilerplate_words(lines)
        asked.update(itertools.compress(range(len(lines)), repeated))
        whys: list[Reason | None] = [None] * len(lines)
        for i in asked:
            whys[i] = _reason(lines[i], i in edges, repeated[i])
        reasons.append(whys)
    return reasons


def _with_boilerplate_words(lines: list[str]) -> set[int]:
    """The lines holding a word ``is_boilerplate`` requires (a superset of the boilerplate
    lines), found in the page lower-cased at once: lower case does not reach across a line
    break, and it folds as ``fold`` does but for a few characters, that send every line to
    the test. (Folding the page was slower than testing each line: its tables are applied
    a character at a time.)"""
    page = "\n".join(lines)
    if any(c in page for c in _FOLDS_INTO_WORDS):
        return set(range(len(lines)))
    page = page.lower()
    if page.count("\n") != len(lines) - 1:  # a line held a line break: test every line
        return set(range(len(lines)))
    found: set[int] = set()
    line = start = 0
    for at in sorted(_occurrences(page, _BOILERPLATE_WORDS)):
        line += page.count("\n", start, at)
        start = at
        found.add(line)
    return found


# The characters ``fold`` turns into part of a boilerplate word where lower case does not
# ("ſ" into "s"); tests/test_ingest_properties.py checks every character.
_FOLDS_INTO_WORDS = "ıİſ"


def _occurrences(text: str, words: tuple[str, ...]) -> Iterator[int]:
    for word in words:
        at = text.find(word)
        while at >= 0:
            yield at
            at = text.find(word, at + 1)


def _reason(line: str, at_edge: bool, repeated: bool) -> Reason | None:
    if not line:
        return None
    if repeated:
        return "running"
    if at_edge and _PAGE_NUMBER.match(key(line)):
        return "page number"
    if is_boilerplate(line):
        return "boilerplate"
    return None


def strip(pages: list[list[str]], *, paged: bool) -> list[list[str]]:
    """The pages without their furniture (blank lines are kept: they end paragraphs)."""
    reasons = furniture_of(pages, paged=paged)
    return [
        [line for line, why in zip(lines, whys, strict=True) if why is None]
        for lines, whys in zip(pages, reasons, strict=True)
    ]


def _paged_running(pages: list[list[str]]) -> list[list[bool]]:
    """Running headers and footers of a document with pages. A line (digits aside) is one
    when it recurs

    - on at least half the pages, among the top or bottom lines of each page it is on; or
    - on three pages in four (at least three pages), anywhere on the page: PDFs often draw
      the footer in the middle of the content stream.

    Never, though, where it completes the sentence on the line above: "… in accordance
    with East Palo" / "Alto Police Department policy 319." recurs on two pages of three,
    and is text.

    A two-page document counts only its top and bottom lines.
    """
    if len(pages) < 2:
        return [[False] * len(lines) for lines in pages]
    on_pages: Counter[str] = Counter()
    for lines in pages:
        body = [line for line in lines if line]
        counted = body[:_EDGE] + body[-_EDGE:] if len(pages) == 2 else body
        on_pages.update({key(line) for line in counted if letters(line) >= 4})
    half = max(2, -(-len(pages) // 2))
    most = max(3, -(-3 * len(pages) // 4)) if len(pages) > 2 else len(pages) + 1
    running: list[list[bool]] = []
    for lines in pages:
        nonblank = [i for i, line in enumerate(lines) if line]
        edges = set(nonblank[:_EDGE] + nonblank[-_EDGE:])
        flags = [False] * len(lines)
        previous = ""  # the line above, unless it was furniture
        for i in nonblank:
            line = lines[i]
            n = on_pages[key(line)] if letters(line) >= 4 else 0
            flags[i] = (n >= most or (n >= half and i in edges)) and not _completes(
                previous, line
            )
            previous = "" if flags[i] else line
        running.append(flags)
    return running


_ENDS_SENTENCE = re.compile(r"[.:;!?][\"'”’)\]]*$")


def _completes(previous: str, line: str) -> bool:
    """Whether ``line`` carries on the unfinished sentence of the line above it."""
    if not previous or _ENDS_SENTENCE.search(previous):
        return False
    return line[:1].islower() or bool(_ENDS_SENTENCE.search(line))


def _copied_footers(pages: list[list[str]]) -> list[list[bool]]:
    """Page-less text: numbered lines repeated 3+ times (a copied PDF's footer)."""
    keys = [_keys(lines) for lines in pages]
    counts = Counter(itertools.chain.from_iterable(keys))
    # The keys that could be a footer's, so most lines are passed over by a set lookup.
    often = {k for k, n in counts.items() if n >= 3 and "#" in k}

    def footer(line: str, k: str) -> bool:
        return (
            len(line) < 120 and letters(k) >= 4 and not STARTS_BLOCK.match(line)
        )

    return [[k in often and footer(line, k) for line, k in zip(lines, page, strict=True)]
            for lines, page in zip(pages, keys, strict=True)]


def _keys(lines: list[str]) -> list[str]:
    """``key`` of each line, done on the page at once: neither lower case nor the digits
    pattern reaches across a line break, so each line's key comes out the same."""
    keys = key("\n".join(lines)).split("\n")
    return keys if len(keys) == len(lines) else [key(line) for line in lines]


_WHAT: dict[Reason, str] = {
    "running": "running header or footer lines (the same line, digits aside, repeated)",
    "page number": "page numbers",
    "boilerplate": 'copyright or "Page N of M" lines',
}


def explain_empty(pages: list[list[str]], *, paged: bool) -> str | None:
    """Why a document with text has none left once its furniture is removed (None when
    it had no text to begin with)."""
    counts: Counter[Reason] = Counter()
    example: dict[Reason, str] = {}
    for lines, whys in zip(pages, furniture_of(pages, paged=paged), strict=True):
        for line, why in zip(lines, whys, strict=True):
            if why is not None:
                counts[why] += 1
                example.setdefault(why, line)
    if not counts:
        return None
    parts = [
        f"{n} {_WHAT[why]}, such as \"{_shorten(example[why])}\""
        for why, n in counts.most_common()
    ]
    return (
        f"all {sum(counts.values())} of its lines were page furniture and were removed: "
        + "; ".join(parts)
    )


def _shorten(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"
