"""A version's text cut into sections, with the words each one holds.

Lines and headings come from the segmenter (``policy_audit.segment.split_lines``), so a
section here is exactly what the scorecard calls a section. Words keep their offsets into
the extracted text, so a change can be laid over the scorecard's evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..segment import split_lines

# The number a heading is printed with: "462.5", "IV.", "Section 9", "§ 3.2", "7)".
_NUMBER = re.compile(
    r"^\s*(?:§\s*)?((?:section|article|part|chapter)\s+[\dIVX]+(?:\.\d++)*+|"
    r"\d{1,4}(?:\.\d{1,3})*|[IVX]{1,5}(?=\.))[.:)]?(?:\s*[-–—]\s*|\s+)",
    re.IGNORECASE,
)
_HASHES = re.compile(r"^\s*#{1,6}\s*")
# Page furniture ingest may leave behind in text that was pasted rather than extracted.
_FURNITURE = re.compile(r"(?i)^\s*(?:page\s+\d+(?:\s+of\s+\d+)?|-\s*\d+\s*-|\d{1,3})\s*$")
_WORD = re.compile(r"\w++(?:['’.\-]\w++)*+|[^\w\s]")  # possessive: tests/test_regex_safety
_KEY_TRANSLATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                                  "\u00ad": None})


@dataclass(frozen=True, slots=True)
class Word:
    """One word or punctuation mark: its text, its comparison key and its offsets."""

    text: str
    key: str
    start: int
    end: int


@dataclass(slots=True)
class Section:
    index: int
    number: str | None
    title: str  # the heading without its number ("" for the text before any heading)
    start: int
    end: int
    words: list[Word] = field(default_factory=list)
    key: str = ""  # what sections are matched on: the words, never the number

    def finish(self, index: int) -> None:
        self.index = index
        self.key = " ".join(word.key.lower() for word in self.words)

    @property
    def label(self) -> str:
        """How a reader finds the section: "§ 4 Data Retention"."""
        title = self.title or "(opening text)"
        return f"§ {self.number} {title}" if self.number else title


def split_heading(heading: str) -> tuple[str | None, str]:
    """("4", "Data Retention") from "Section 4. Data Retention"; (None, text) unnumbered."""
    heading = _HASHES.sub("", heading).strip()
    match = _NUMBER.match(heading)
    if match and heading[match.end():].strip():
        number = match.group(1)
        number = re.sub(r"(?i)^(section|article|part|chapter)\s+", "", number)
        return number.rstrip("."), heading[match.end():].strip()
    return None, heading


def words_of(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    end = len(text) if end is None else end
    return [
        Word(m.group(), m.group().translate(_KEY_TRANSLATION), m.start(), m.end())
        for m in _WORD.finditer(text, start, end)
    ]


def sections_of(text: str) -> list[Section]:
    """The text before the first heading (if any words) and one section per heading; a
    section's words include its heading's title words but not its number."""
    sections: list[Section] = []
    current: Section | None = None
    for line in split_lines(text):
        if line.kind == "heading":
            if current is not None:
                sections.append(current)
            number, title = split_heading(line.text)
            current = Section(len(sections), number, title, line.start, line.end)
            title_start = line.end - len(title) if title else line.end
            current.words += words_of(text, title_start, line.end)
            continue
        if current is None:
            current = Section(0, None, "", line.start, line.end)
        if _FURNITURE.match(line.text):
            continue
        current.words += words_of(text, line.start, line.end)
        current.end = line.end
    if current is not None:
        sections.append(current)
    sections = [s for s in sections if s.words or s.title]
    for index, section in enumerate(sections):
        section.finish(index)
    return sections
