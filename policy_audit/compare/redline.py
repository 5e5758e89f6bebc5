"""Section-aligned redline: matched sections get a word-level diff, Word-style.

Words are compared by a key that ignores whitespace, line breaks and typographic quotes
and dashes, with ``difflib.SequenceMatcher(autojunk=False)`` (``autojunk`` drops frequent
words such as "the" from matching and makes the result depend on argument order). Never a
character diff of a whole document: that is 35 s on a long policy, this is milliseconds.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .align import Pair, align
from .models import DiffRun, SectionChange, SectionRef
from .sections import Section, Word, sections_of

_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Edits:
    """Character ranges an edit touched, in the old and the new text."""

    old: list[tuple[int, int]] = field(default_factory=list)
    new: list[tuple[int, int]] = field(default_factory=list)


# A word diff compares every word with every other in the worst case: past 1,000 × 1,000
# words, sentences are matched first and words only inside short changed stretches (a
# 30,000-word section took a minute word by word; a longer stretch is shown replaced).
MAX_WORD_PAIRS = 1_000_000
_SENTENCE_END = {".", "!", "?", ";"}
MAX_SENTENCE_WORDS = 60


def word_diff(old: list[Word], new: list[Word], old_text: str, new_text: str,
              edits: Edits | None = None) -> list[DiffRun]:
    """Runs of equal, deleted and inserted words; a replacement is a deletion then an
    insertion. Each run keeps the words as printed, with single spaces."""
    runs: list[DiffRun] = []
    if len(old) * len(new) <= MAX_WORD_PAIRS:
        _diff_words(runs, old, new, (0, len(old)), (0, len(new)), old_text, new_text, edits)
        return runs
    old_units, new_units = _sentences(old), _sentences(new)
    # Sentences are many and mostly distinct, but a repeated one must not make the matcher
    # quadratic: here (and only here) frequent items may be junk.
    matcher = difflib.SequenceMatcher(None, [_unit_key(old, u) for u in old_units],
                                      [_unit_key(new, u) for u in new_units], autojunk=True)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a = (old_units[i1][0], old_units[i2 - 1][1]) if i2 > i1 else _at(old_units, i1, old)
        b = (new_units[j1][0], new_units[j2 - 1][1]) if j2 > j1 else _at(new_units, j1, new)
        if op == "equal":
            _append(runs, "equal", new, b[0], b[1], new_text)
        elif (a[1] - a[0]) * (b[1] - b[0]) <= MAX_WORD_PAIRS:
            _diff_words(runs, old, new, a, b, old_text, new_text, edits)
        else:
            _replace(runs, old, new, a, b, old_text, new_text, edits)
    return runs


def _diff_words(runs: list[DiffRun], old: list[Word], new: list[Word], a: tuple[int, int],
                b: tuple[int, int], old_text: str, new_text: str, edits: Edits | None) -> None:
    matcher = difflib.SequenceMatcher(None, [w.key for w in old[a[0]:a[1]]],
                                      [w.key for w in new[b[0]:b[1]]], autojunk=False)
    for op, i1, i2, j1, j2 in _readable(matcher.get_opcodes()):
        i1, i2, j1, j2 = i1 + a[0], i2 + a[0], j1 + b[0], j2 + b[0]
        if op == "equal":
            _append(runs, "equal", new, j1, j2, new_text)
        else:
            _replace(runs, old, new, (i1, i2), (j1, j2), old_text, new_text, edits)


Opcode = tuple[str, int, int, int, int]


def _readable(opcodes: Sequence[Opcode]) -> list[Opcode]:
    """A rewritten passage as one deletion and one insertion, not confetti: a short
    unchanged stretch between changes ("the", "of", "Services" that happen to recur in two
    different paragraphs) is folded into them (after diff-match-patch's "semantic cleanup",
    counted in words)."""
    blocks: list[Opcode] = list(opcodes)
    merged = True
    while merged:
        merged = False
        for k in range(1, len(blocks) - 1):
            before, same, after = blocks[k - 1], blocks[k], blocks[k + 1]
            if same[0] != "equal" or before[0] == "equal" or after[0] == "equal":
                continue
            length = same[2] - same[1]
            around = min(max(before[2] - before[1], before[4] - before[3]),
                         max(after[2] - after[1], after[4] - after[3]))
            # A word or two between changes as large; longer only between much larger ones
            # (so that "Public Safety Committee" between two one-word edits stays).
            if length <= around and (length <= 2 or around >= 3 * length):
                blocks[k - 1:k + 2] = [("replace", before[1], after[2], before[3], after[4])]
                merged = True
                break
    return blocks


def _replace(runs: list[DiffRun], old: list[Word], new: list[Word], a: tuple[int, int],
             b: tuple[int, int], old_text: str, new_text: str, edits: Edits | None) -> None:
    if a[1] > a[0]:
        _append(runs, "delete", old, a[0], a[1], old_text)
    if b[1] > b[0]:
        _append(runs, "insert", new, b[0], b[1], new_text)
    if edits is not None and (a[1] > a[0] or b[1] > b[0]):
        edits.old.append(_span(old, *a))
        edits.new.append(_span(new, *b))


def _sentences(words: list[Word]) -> list[tuple[int, int]]:
    """Word index ranges of sentences (or of at most MAX_SENTENCE_WORDS words)."""
    units: list[tuple[int, int]] = []
    start = 0
    for index, word in enumerate(words):
        if word.key in _SENTENCE_END or index - start + 1 >= MAX_SENTENCE_WORDS:
            units.append((start, index + 1))
            start = index + 1
    if start < len(words):
        units.append((start, len(words)))
    return units


def _unit_key(words: list[Word], unit: tuple[int, int]) -> str:
    return " ".join(word.key for word in words[unit[0]:unit[1]])


def _at(units: list[tuple[int, int]], index: int, words: list[Word]) -> tuple[int, int]:
    """The empty word range where unit ``index`` starts (or the end)."""
    position = units[index][0] if index < len(units) else len(words)
    return position, position


def _span(words: list[Word], start: int, end: int) -> tuple[int, int]:
    """The characters of words[start:end]; a pure insertion point is a zero-width span."""
    if end > start:
        return words[start].start, words[end - 1].end
    if start < len(words):
        return words[start].start, words[start].start
    return (words[-1].end, words[-1].end) if words else (0, 0)


def _append(runs: list[DiffRun], op: str, words: list[Word], start: int, end: int,
            text: str) -> None:
    if end <= start:
        return
    chunk = _SPACE.sub(" ", text[words[start].start:words[end - 1].end])
    # Keep the space before the run, so that concatenating the runs reads as prose.
    if (start > 0 and words[start].start > words[start - 1].end) or (runs and start == 0):
        chunk = " " + chunk
    runs.append(DiffRun(op=op, text=chunk))


def _ref(section: Section, pages: PageLookup | None) -> SectionRef:
    page = pages(section.start) if pages is not None else None
    return SectionRef(number=section.number, title=section.title or "(opening text)",
                      start=section.start, end=section.end, page=page)


class PageLookup:
    """Offset → page, for the text of one version (None for page-less formats)."""

    def __init__(self, spans: list[tuple[int, int, int]]) -> None:
        self.spans = spans  # (start, end, page)

    def __call__(self, offset: int) -> int | None:
        for start, end, page in self.spans:
            if start <= offset < end:
                return page
        return self.spans[-1][2] if self.spans and offset >= self.spans[-1][1] else None


def redline(old_text: str, new_text: str, *, old_pages: PageLookup | None = None,
            new_pages: PageLookup | None = None) -> list[tuple[SectionChange, Edits]]:
    """The sections of the new version in its order, with deleted sections where they
    stood; each with the character ranges its change touched on either side."""
    old = sections_of(old_text)
    new = sections_of(new_text)
    pairs = align(old, new)
    by_new: dict[int, Pair] = {p.new: p for p in pairs}
    matched_old = {p.old for p in pairs}
    changes: list[tuple[SectionChange, Edits]] = []
    emitted_old: set[int] = set()

    def deleted_before(limit: int) -> None:
        for section in old:
            if section.index >= limit:
                break
            if section.index not in matched_old and section.index not in emitted_old:
                emitted_old.add(section.index)
                changes.append((SectionChange(
                    status="deleted", old=_ref(section, old_pages),
                    diff=[DiffRun(op="delete", text=_plain(section, old_text))],
                ), Edits(old=[(section.start, section.end)])))

    # For each new section, the old index of the next in-order match at or after it: in a
    # gap, what was deleted is shown before what was inserted (as a word processor does).
    next_anchor = [len(old)] * (len(new) + 1)
    for j in range(len(new) - 1, -1, -1):
        pair = by_new.get(j)
        next_anchor[j] = pair.old if pair is not None and not pair.moved else next_anchor[j + 1]

    for section in new:
        pair = by_new.get(section.index)
        if pair is None:
            deleted_before(next_anchor[section.index])
            changes.append((SectionChange(
                status="inserted", new=_ref(section, new_pages),
                diff=[DiffRun(op="insert", text=_plain(section, new_text))],
            ), Edits(new=[(section.start, section.end)])))
            continue
        before = old[pair.old]
        if not pair.moved:
            deleted_before(pair.old)
        same = before.key == section.key
        edits = Edits()
        runs = [] if same else word_diff(before.words, section.words, old_text, new_text,
                                         edits)
        if pair.moved:
            # A moved clause is an edit where it left and where it arrived.
            edits.old.append((before.start, before.end))
            edits.new.append((section.start, section.end))
        changes.append((SectionChange(
            status="unchanged" if same else "changed",
            moved=pair.moved,
            renumbered=(before.number or "") != (section.number or ""),
            similarity=100.0 if same else pair.similarity,
            old=_ref(before, old_pages),
            new=_ref(section, new_pages),
            diff=runs,
        ), edits))
    deleted_before(len(old))
    return changes


def _plain(section: Section, text: str) -> str:
    if not section.words:
        return section.title
    return _SPACE.sub(" ", text[section.words[0].start:section.words[-1].end])
