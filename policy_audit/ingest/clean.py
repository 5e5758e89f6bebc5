"""Repair what extraction breaks, and lay text out one paragraph per line.

Input is a list of pages (one for page-less formats), each a list of raw lines. Output is
the normalised text the rest of the pipeline reads, with a map from character offsets
back to pages. Repairs, in order:

- Unicode: NFKC (ligatures such as "ﬁ"), no-break and odd spaces; PDFium's U+FFFE
  line-end hyphen markers become real line breaks again, repaired like any other.
  Control characters (NUL and the rest of C0 but tab and line ends) are removed, or
  become a space where they separate words.
- Page furniture (``furniture.py``): running headers and footers, bare page numbers,
  "Page N of M", copyright lines, and in page-less text, numbered lines repeated 3+ times
  (the footer of a PDF someone copied to text); never half the document or more.
- Broken lines: a line that does not end a sentence is joined to the next when the next
  continues it (lower-case start, or the line ran to the margin); a lone list marker such
  as "(a)" is joined to its item. Headings, labels and list items keep their own lines.
- Hyphens at a line end: "reten-" + "tion" → "retention", but "non-" + "hit" keeps its
  hyphen (a compound prefix), as do capitalised or numeric parts.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from ..models import PageSpan
from . import furniture
from .furniture import STARTS_BLOCK as _STARTS_BLOCK

_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]+")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\ufffe\u00ad]")
# C0 control characters other than tab, line feed and carriage return (and DEL) mean
# nothing in a policy, and PostgreSQL cannot store NUL in text or JSONB. They go here,
# before the text is assembled, so the evidence offsets count the text as stored.
# Separators (vertical tab, form feed, the information separators) become spaces so the
# words on either side stay apart; the rest are dropped.
_CONTROL_SEPARATORS = re.compile(r"[\x0b\x0c\x1c-\x1f]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_LIST_MARKER_ONLY = re.compile(r"^(?:\(?[A-Za-z0-9]{1,3}[.)]|[•▪●◦·*-])$")
_LIST_ITEM_START = re.compile(r"^(?:\(?[A-Za-z0-9]{1,3}[.)]\s|[•▪●◦·*–-]\s)")
_ENDS_SENTENCE = re.compile(r"[.:;!?][\"'”’)\]]*$")
_CONTINUING_WORDS = (
    "and or nor of the a an to in for by with from on at as any all each such its their this "
    "that which is are be shall may must will not"
).split()
_CONTINUES = re.compile(
    r"[,(\-–—/&§]$|\b(?:" + "|".join(_CONTINUING_WORDS) + ")$", re.IGNORECASE
)
# How far from the end a match of _CONTINUES reaches: the word, the character before it
# (for \b) and a final line break ($ matches before one). Searching only that tail gives
# the same answer; searching the last 200 characters tried the pattern at each: 20 µs a line.
_CONTINUES_REACH = max(map(len, _CONTINUING_WORDS)) + 2
_HYPHEN_END = re.compile(r"([A-Za-z]+)-$")
# Left halves that make real compounds: keep the hyphen when a line breaks after them.
_COMPOUND_PREFIXES = frozenset(
    # Whole words that start compounds and are not common syllables ("in", "re" are).
    "non self third cross anti semi multi well vice".split()
)


@dataclass(slots=True)
class RawLine:
    text: str
    page: int | None
    # Where later pages begin inside a paragraph joined across a page break:
    # (offset into ``text``, page number).
    breaks: list[tuple[int, int]] = field(default_factory=list)
    # Length of the last raw line joined into ``text``: whether that line ran to the margin
    # (so the break after it is a wrap) depends on it, not on the whole paragraph.
    last_line: int = -1

    def __post_init__(self) -> None:
        if self.last_line < 0:
            self.last_line = len(self.text)


def normalise_line(text: str) -> str:
    return normalise_line_breaks_kept(text).strip()


def _join_threshold(lines: list[RawLine]) -> tuple[int, int]:
    """Lengths at which a line probably ran to the right margin (so it was wrapped), and at
    which it surely did (a full line of the page's prose)."""
    lengths = [len(line.text) for line in lines if len(line.text) > 20]
    if len(lengths) < 5:
        return 60, _NEVER
    typical = statistics.quantiles(lengths, n=4)[2]  # 75th percentile
    if typical < _NARROWEST_WRAP:
        # Most lines are short: a list of names or label/value rows, not prose wrapped at
        # a margin. Joining by length would merge "Springfield PD" with "Shelbyville SO".
        return _NEVER, _NEVER
    return int(min(60, 0.65 * typical)), int(0.85 * typical)


# Prose wrapped narrower than this is rare (even two-column PDFs run to ~45 characters);
# a document whose lines are mostly shorter is a list, and its lines were never wrapped.
_NARROWEST_WRAP = 40
_NEVER = 1 << 30


def _continues(
    paragraph: str, line: str, threshold: int, last_line: int | None = None,
    after: str | None = "", full: int = _NEVER,
) -> bool:
    """Whether ``line`` continues ``paragraph``, whose last raw line was ``last_line`` long
    (``after`` is the line below ``line``: empty at a blank line, None at the end; a line
    of ``full`` characters or more ran to the right margin)."""
    # Only the paragraph's end matters; searching the whole growing paragraph for every
    # joined line made long unpunctuated text quadratic.
    previous = paragraph[-200:]
    if _LIST_MARKER_ONLY.match(paragraph):
        return True
    if previous.endswith("§"):
        return True
    if _STARTS_BLOCK.match(line) or _ENDS_SENTENCE.search(previous):
        return False
    if line[:1].islower() or _CONTINUES.search(previous[-_CONTINUES_REACH:]):
        return True
    length = len(paragraph) if last_line is None else last_line
    # List items often end without a full stop; a capitalised line after one is more
    # likely the next paragraph than the item's continuation, unless the item ran full to
    # the margin and this line finishes its sentence ("… in accordance with East" /
    # "Side Police Department policy 12.").
    if _LIST_ITEM_START.match(paragraph):
        return length >= full and bool(_ENDS_SENTENCE.search(line)) and not line.isupper()
    # A line that ran to the margin was wrapped. Measure the last line, not the paragraph:
    # a short unpunctuated last line (a label, a heading) ends the paragraph however long
    # the lines before it were.
    return length >= threshold and not line.isupper() and not _is_label(line, after)


_LABEL_END = re.compile(r"[.;,!?)\]\"'”’-]$")


def _is_label(line: str, after: str | None) -> bool:
    """A short key line ("Prohibited uses", "Agencies we share with:") that introduces the
    list or value below it: a new paragraph, even after a line that ran to the margin."""
    words = line.split()
    if not (1 <= len(words) <= 5) or not line[:1].isupper() or _LABEL_END.search(line):
        return False
    if _CONTINUES.search(line[-_CONTINUES_REACH:]) or _STARTS_BLOCK.match(line):
        return False
    return line.endswith(":") or not after or bool(_LIST_ITEM_START.match(after))


def _join(previous: str, line: str) -> str:
    # Searched only when it can match (the pattern is tried at each letter: 4 µs a join). A
    # paragraph is stripped lines: it never ends in the line break that $ would allow.
    hyphen = _HYPHEN_END.search(previous[-100:]) if previous.endswith("-") else None
    if hyphen and line[:1].islower():
        left = hyphen.group(1)
        if left.lower() in _COMPOUND_PREFIXES or not left.islower():
            return previous + line
        return previous[:-1] + line
    return f"{previous} {line}"


def unwrap(lines: list[RawLine]) -> list[RawLine]:
    """Merge wrapped lines into paragraphs; a blank line always ends a paragraph."""
    threshold, full = _join_threshold(lines)
    merged: list[RawLine] = []
    blank_before = True
    for index, line in enumerate(lines):
        if not line.text:
            blank_before = True
            continue
        previous = merged[-1] if merged else None
        after = lines[index + 1].text if index + 1 < len(lines) else None
        if previous and not blank_before and _continues(
            previous.text, line.text, threshold, previous.last_line, after, full
        ):
            joined = _join(previous.text, line.text)
            last_page = previous.breaks[-1][1] if previous.breaks else previous.page
            if line.page is not None and line.page != last_page:
                previous.breaks.append((len(joined) - len(line.text), line.page))
            previous.text = joined
            previous.last_line = len(line.text)
        else:
            merged.append(RawLine(line.text, line.page))
        blank_before = False
    return merged


def assemble(pages: list[list[str]], *, paged: bool) -> tuple[str, list[PageSpan]]:
    """Clean and join pages of raw lines into (text, page map)."""
    pages = furniture.strip(normalise_pages(pages), paged=paged)
    lines: list[RawLine] = []
    for number, page in enumerate(pages, start=1):
        lines.extend(RawLine(line, number if paged else None) for line in page)
        lines.append(RawLine("", None))  # a page break ends a paragraph unless unwrap joins
    paragraphs = unwrap(_soft_page_breaks(lines) if paged else lines)
    text = "\n".join(p.text for p in paragraphs)
    return text, page_map(paragraphs, len(text)) if paged else []


def normalise_pages(pages: list[list[str]]) -> list[list[str]]:
    """Each raw line normalised, soft-hyphen joins split again: what furniture is read from."""
    return [
        _normalise_printable(page) if all(map(str.isprintable, page))
        else _normalise_page(_split_soft_hyphens(page))
        for page in pages
    ]


def _normalise_printable(lines: list[str]) -> list[str]:
    """``_normalise_page`` for the usual page, whose lines are printable: ``str.isprintable``
    is False for tab, line breaks, U+FFFE and every character the patterns above match, and
    NFKC makes none of them. Only NFKC and runs of spaces are left to do; a scan for each
    pattern cost more than the rest of the cleaning."""
    if not lines:
        return []
    page = unicodedata.normalize("NFKC", "\n".join(lines))
    while "  " in page:  # each pass halves every run of spaces, at C speed
        page = page.replace("  ", " ")
    return [line.strip() for line in page.split("\n")]


def _normalise_page(lines: list[str]) -> list[str]:
    """``normalise_line`` on every line, done on the page at once: no pattern above matches
    a line break and NFKC composes nothing across one, so the lines come out the same, for
    a few calls a page instead of a few a line."""
    if not lines or any("\n" in line for line in lines):
        return [normalise_line(line) for line in lines]
    page = normalise_line_breaks_kept("\n".join(lines))
    return [line.strip() for line in page.split("\n")]


def normalise_line_breaks_kept(text: str) -> str:
    """``normalise_line`` without the final strip: line breaks are left where they are."""
    text = _CONTROLS.sub("", _CONTROL_SEPARATORS.sub(" ", text))
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return _RUNS_OF_SPACES.sub(" ", _SPACES.sub(" ", text))


def _split_soft_hyphens(lines: list[str]) -> list[str]:
    """PDFium marks a line-end hyphen with U+FFFE and glues the next line on, even when
    that next line is the page footer. Split there again, so the footer can be dropped
    and the two halves rejoined by the usual hyphen rule."""
    out: list[str] = []
    for line in lines:
        if "\ufffe" in line:
            parts = line.split("\ufffe")
            out.extend(part + "-" for part in parts[:-1])
            out.append(parts[-1])
        else:
            out.append(line)
    return out


def _soft_page_breaks(lines: list[RawLine]) -> list[RawLine]:
    """Page breaks fall mid-sentence: drop the blank we put there so unwrap may join."""
    return [
        line for i, line in enumerate(lines)
        if line.text or line.page is not None or i == 0 or not lines[i - 1].text
    ]


def page_map(paragraphs: list[RawLine], length: int) -> list[PageSpan]:
    starts: list[tuple[int, int]] = []
    offset = 0
    for paragraph in paragraphs:
        if paragraph.page is not None:
            starts.append((offset, paragraph.page))
        starts.extend((offset + at, page) for at, page in paragraph.breaks)
        offset += len(paragraph.text) + 1
    spans: list[PageSpan] = []
    for start, page in starts:
        if spans and spans[-1].page == page:
            continue
        if spans:
            spans[-1].end = start
        spans.append(PageSpan(page=page, start=start, end=length))
    return spans
