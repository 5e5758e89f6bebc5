"""Fields: the label/value shape of transparency pages and summary tables.

Pages and tables state facts as a *field*, however they are worded or laid out:

    Data Retention                         <- the label
    The number of days data is retained.   <- an optional caption describing it
    30 days                                <- the value

    Data retention (in days): 30 days      <- label and value on one line
    | Retention period | 30 days |         <- a table row (ingest makes it "Key: value"-like)

    Agencies granted access to our data    <- a label over a list value
    Springfield PD
    Shelbyville County SO
    ...

Detectors ask the structure ("the value of the field whose label is about retention"), not
a template: ``fields_of`` finds every field once per document, from the line shapes only,
and never looks at what the words mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .segment import Line

_MODAL_RE = re.compile(r"(?i)\b(?:shall|must|should|may|will|required)\b")
_SENTENCE_END_RE = re.compile(r"[.!?]\s+[A-Z]")
_SCALAR_RE = re.compile(
    r"(?i)^\s*(?:[\d][\d,.]*\s*(?:%|\w+)?|n/?a|none|unlimited|indefinite(?:ly)?|"
    r"(?:data\s+)?unavailable|not\s+available)\s*$"
)
# "Key: value" on one line: a short key (no sentence inside it), then the value.
_INLINE_RE = re.compile(
    r"^(?P<key>[^:.;]{2,60}?)(?:\s*(?P<sep>[:|–—])|\s(?P<sep2>-))\s+(?P<value>\S.{0,400})$"
)
_MAX_ENTRY_WORDS = 14
_MAX_CAPTION_WORDS = 22
_MAX_KEY_WORDS = 16
_MAX_LIST = 5000


@dataclass(frozen=True, slots=True)
class Field:
    """A label, the caption under it (if any) and its value line(s).

    ``inline`` fields hold key and value on one line ("Retention: 30 days"); their single
    value is ``value_text`` and ``values`` is empty.
    """

    key: Line
    caption: Line | None
    values: tuple[Line, ...]
    inline_value: str | None = None
    inline_value_start: int = 0

    @property
    def key_text(self) -> str:
        """What the field is about: the label and its caption together."""
        if self.inline_value is not None:
            return self.key.text[: self.inline_value_start - self.key.start].rstrip(" :|–—")
        return self.key.text if self.caption is None else f"{self.key.text} {self.caption.text}"

    @property
    def value_text(self) -> str:
        """The first (or only) value, as written."""
        if self.inline_value is not None:
            return self.inline_value
        return self.values[0].text if self.values else ""

    @property
    def value_start(self) -> int:
        if self.inline_value is not None:
            return self.inline_value_start
        return self.values[0].start if self.values else self.end

    @property
    def start(self) -> int:
        return self.key.start

    @property
    def end(self) -> int:
        """Where the field's first value ends (a list's later entries are in ``values``)."""
        if self.inline_value is not None or not self.values:
            return (self.caption or self.key).end
        return self.values[0].end

    def entries(self) -> list[tuple[str, int]]:
        """The value as list entries with their offsets: one per line, or one per comma when
        the list is written on one line ("Springfield PD, Shelbyville SO, ...")."""
        if self.inline_value is not None:
            return _split_commas(self.inline_value, self.inline_value_start)
        if len(self.values) == 1 and _is_scalar(self.values[0]):
            return [(self.values[0].text, self.values[0].start)]
        if len(self.values) == 1:
            return _split_commas(self.values[0].text, self.values[0].start)
        return [(line.text, line.start) for line in self.values]


def _split_commas(text: str, start: int) -> list[tuple[str, int]]:
    entries = []
    for match in re.finditer(r"[^,]++", text):  # possessive: nothing follows it
        entry = match.group(0).strip()
        if entry:
            entries.append((entry, start + match.start() + match.group(0).index(entry)))
    return entries


def _words(line: Line) -> int:
    return len(line.text.split())


def is_caption(line: Line | None) -> bool:
    """One short descriptive sentence: "The number of days data is retained.", "Organizations
    granted access to X data." A rule ("Data shall be ...") is no caption."""
    if line is None or line.kind not in ("body", "label"):
        return False
    text = line.text.strip()
    return (
        text.endswith(".")
        and _words(line) <= _MAX_CAPTION_WORDS
        and not _SENTENCE_END_RE.search(text[:-1])
        and not _MODAL_RE.search(text)
    )


def _is_key(line: Line) -> bool:
    """A label: short, no sentence end, no rule in it (a long label is still a label:
    "Organizations granted access to Napa Valley College Campus data")."""
    text = line.text.rstrip()
    if text.endswith((".", ";", "?", "!")) or line.kind == "item":
        return False
    if line.kind in ("label", "heading"):
        return True
    return _words(line) <= _MAX_KEY_WORDS and not _MODAL_RE.search(text)


def _is_entry(line: Line) -> bool:
    """One entry of a list (a name, a short phrase), or a whole list on one line."""
    text = line.text.rstrip()
    if line.kind == "heading" or text.endswith((".", ";", ":", "?")):
        return False
    return _words(line) <= _MAX_ENTRY_WORDS or text.count(",") >= 2


def _is_acronym_entry(lines: list[Line], index: int) -> bool:
    """ "MOCIC", "TN ROCIC" inside a list of names look like all-capitals headings; they are
    entries when the list goes on after them."""
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else None
    return (
        line.kind == "heading"
        and _words(line) <= 4
        and not line.text[:1].isdigit()
        and following is not None
        and following.kind != "heading"
        and _is_entry(following)
    )


def _starts_field(lines: list[Line], index: int) -> bool:
    """A key with a caption under it begins a new field (it ends the list before it)."""
    return _is_key(lines[index]) and index + 1 < len(lines) and is_caption(lines[index + 1])


def _is_scalar(line: Line) -> bool:
    return bool(_SCALAR_RE.match(line.text)) or (len(line.text) <= 12 and any(
        c.isdigit() for c in line.text
    ))


def fields_of(lines: list[Line]) -> list[Field]:
    """Every field of the document, in order."""
    fields: list[Field] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        inline = _inline(line)
        if inline is not None:
            fields.append(inline)
            index += 1
            continue
        if not _is_key(line):
            index += 1
            continue
        caption: Line | None = None
        start = index + 1
        if _has_caption(lines, index):
            caption, start = lines[start], start + 1
        values = _values(lines, start, open_list=caption is not None or _opens_list(line))
        if values or caption is not None:
            fields.append(Field(line, caption, tuple(values)))
        # A key without caption whose value is a scalar consumed exactly one line; a list
        # consumed its entries. Entries may themselves be keys of nothing: skip past them.
        index = start + len(values) if values else start
    return fields


def _has_caption(lines: list[Line], key: int) -> bool:
    """A caption sits between a key and its value: the line after it must be a value (not a
    heading, not the next field). Otherwise the sentence *is* the key's value."""
    after = key + 2
    return (
        after < len(lines)
        and is_caption(lines[key + 1])
        and lines[after].kind != "heading"
        and not _starts_field(lines, after)
        and not _heads_a_sentence(lines, after)
        and not _is_next_key(lines[after], lines[after + 1] if after + 1 < len(lines) else None)
    )


def _heads_a_sentence(lines: list[Line], index: int) -> bool:
    """ "Hotlist Policy" over "Hits are verified before action.": a key whose value is a
    sentence, so the sentence above it was a value too, not a caption."""
    following = index + 1
    return (
        _is_key(lines[index])
        and following < len(lines)
        and lines[following].kind == "body"
        and not _is_entry(lines[following])
        and not is_caption(lines[following])
    )


def _is_next_key(candidate: Line, after: Line | None) -> bool:
    """Whether the line after a caption-less key is the next key rather than its value: a
    single label ("Hotlists Alerted On") followed by a value-shaped line (a number, or a
    list on one line)."""
    if after is None or _is_scalar(candidate) or "," in candidate.text:
        return False
    if not _is_key(candidate):
        return False
    return _is_scalar(after) or (_is_entry(after) and "," in after.text)


def _opens_list(key: Line) -> bool:
    """ "Agencies with access:" announces a list; so does a key followed by bullets."""
    return key.text.rstrip().endswith(":")


def _values(lines: list[Line], start: int, *, open_list: bool) -> list[Line]:
    """The value line(s) after a key: one line, or a list of entries up to the next field."""
    if start >= len(lines):
        return []
    first = lines[start]
    if first.kind == "heading" or _starts_field(lines, start) or _inline(first) is not None:
        return []  # the key has no value ("Hotlists Alerted On", then the next field)
    if not _is_entry(first) and not (open_list and _words(first) <= 40):
        return []  # a paragraph follows: the key was a heading, not a label
    second = lines[start + 1] if start + 1 < len(lines) else None
    if not open_list and _is_next_key(first, second):
        return []  # "Usage" / "Data retention (in days)" / "30 days": the key has no value
    values = [first]
    if _is_scalar(first) or not _is_entry(first):
        return values
    # A list: entries up to the next field, heading, sentence, or key/value pair.
    index = start + 1
    while index < len(lines) and len(values) < _MAX_LIST:
        line = lines[index]
        entry = _is_entry(line) or (open_list and _is_acronym_entry(lines, index))
        if not entry or _starts_field(lines, index) or _inline(line) is not None:
            break
        if not open_list and not (line.kind == "item" and first.kind == "item"):
            break  # without a caption or a colon, only a bulleted run is one list
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and _is_scalar(following) and not _is_scalar(line):
            break  # "Searches in the last 30 days" then "177": the next key/value pair
        values.append(line)
        index += 1
    return values


def _inline(line: Line) -> Field | None:
    """A "Key: value" line whose key is a short label, not a sentence."""
    if line.kind == "heading" or len(line.text) > 480:
        return None
    match = _INLINE_RE.match(line.text)
    if match is None or _MODAL_RE.search(match["key"]) or len(match["key"].split()) > 8:
        return None
    if not match["key"][:1].isupper():
        return None
    if match["sep2"] and not _SCALAR_RE.match(match["value"]):
        return None  # "Access to CA - Napa Valley College data": a name, not key - value
    start = line.start + match.start("value")
    return Field(line, None, (), inline_value=match["value"].strip(), inline_value_start=start)
