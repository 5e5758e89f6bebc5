"""Property-based tests of ingest: whatever the bytes, the result is text or a read error.

Any other exception is what the CLI reports as an internal error (exit 70), so a
document, however damaged, must never raise one. When text comes back, its offsets and
page map hold together.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from policy_audit.errors import InputError  # noqa: E402
from policy_audit.ingest import Limits, read_document  # noqa: E402
from policy_audit.models import SourceText  # noqa: E402

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "make_mutants.py"
NAMES = ["policy.pdf", "policy.docx", "policy.html", "policy.md", "policy.txt", "upload"]
PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<!doctype html><html><body>", b"\xef\xbb\xbf",
            b"\xff\xfe", b"# Heading\n\n- item\n"]
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_mutants", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mutants_script = _load_script()


def read_or_refuse(data: bytes, name: str) -> SourceText | None:
    try:
        return read_document(data, name=name, limits=Limits(ocr=False))
    except InputError as error:
        message = str(error)
        assert message and "\n" not in message.strip(), message
        return None


def check_invariants(source: SourceText) -> None:
    text = source.text
    assert text.strip()
    assert "\r" not in text and "\n\n" not in text
    assert all(line == line.strip() and line for line in text.split("\n"))
    assert source.quality.characters == len(text)
    assert source.quality.words == len(text.split())
    spans = source.pages
    if source.media_type != "application/pdf":
        assert spans == [] and source.quality.pages is None
        return
    assert spans and spans[0].start == 0 and spans[-1].end == len(text)
    for before, after in itertools.pairwise(spans):
        assert before.end == after.start and before.start < before.end
        assert before.page < after.page
    assert all(1 <= span.page <= (source.quality.pages or 0) for span in spans)
    for offset in range(0, len(text), max(1, len(text) // 50)):
        assert source.page_at(offset) is not None


@SETTINGS
@given(data=st.binary(max_size=4096), prefix=st.sampled_from(PREFIXES),
       name=st.sampled_from(NAMES))
def test_any_bytes_give_text_or_a_read_error(data: bytes, prefix: bytes, name: str) -> None:
    source = read_or_refuse(prefix + data, name)
    if source is not None:
        check_invariants(source)


@SETTINGS
@given(text=st.text(max_size=3000), name=st.sampled_from(NAMES[2:]))
def test_any_text_gives_text_or_a_read_error(text: str, name: str) -> None:
    source = read_or_refuse(text.encode("utf-8", "surrogatepass"), name)
    if source is not None:
        check_invariants(source)


_LINE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=90)


@SETTINGS
@given(lines=st.lists(_LINE, min_size=1, max_size=40))
def test_pdf_text_keeps_its_words_and_page_map(lines: list[str]) -> None:
    source = read_or_refuse(mutants_script.minimal_pdf(lines), "policy.pdf")
    if source is None:
        return
    check_invariants(source)
    assert source.quality.pages == 1


@SETTINGS
@given(data=st.data())
def test_byte_mutants_of_the_samples(data: st.DataObject) -> None:
    import random

    seeds = _seeds()
    name, original = data.draw(st.sampled_from(seeds))
    seed = data.draw(st.integers(min_value=0, max_value=2**32 - 1))
    _how, mutated = mutants_script.mutate(name, original, random.Random(seed))
    source = read_or_refuse(mutated, name)
    if source is not None:
        check_invariants(source)


_SEEDS: list[tuple[str, bytes]] = []


def _seeds() -> list[tuple[str, bytes]]:
    if not _SEEDS:
        _SEEDS.extend(mutants_script.seeds())
    return _SEEDS


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=40),
                max_size=12))
def test_a_page_is_normalised_as_its_lines_are(lines: list[str]) -> None:
    from policy_audit.ingest.clean import _normalise_page, normalise_line

    assert _normalise_page(lines) == [normalise_line(line) for line in lines]


def test_printable_text_has_nothing_for_the_cleaning_patterns_before_or_after_nfkc() -> None:
    """Why ``normalise_pages`` may skip the patterns on printable lines."""
    import unicodedata

    from policy_audit.ingest import clean

    printable = [c for c in map(chr, range(0x110000)) if c.isprintable()]
    normalised = "".join(unicodedata.normalize("NFKC", c) for c in printable)
    for pattern in (clean._CONTROL_SEPARATORS, clean._CONTROLS, clean._INVISIBLE,
                    clean._SPACES):
        assert pattern.search("".join(printable)) is None, pattern.pattern
        assert pattern.search(normalised) is None, pattern.pattern
    assert "\n" not in normalised


# Printable pieces (the fast path: NFKC makes a space and an accent of "¨" and "´") and
# the rest.
_PRINTABLE = ["a", "Z", " ", ".", "é", "  ", "   ", "ﬁ", "¨", "´", "⑴", "Ａ", "Σ", "İ", "\u0301"]
_UNPRINTABLE = ["\u00a0", "\u2003", "\u3000", "\t", "\u00ad", "\u200b", "\ufeff", "\ufffe",
                "\x01", "\x0c", "\x1c", "\x7f", "\u2028", "\x85", "\r"]
_TRICKY_LINE = st.lists(st.sampled_from(_PRINTABLE), max_size=12).map("".join) | st.lists(
    st.sampled_from(_PRINTABLE + _UNPRINTABLE), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_TRICKY_LINE, max_size=8), max_size=3))
def test_pages_are_normalised_as_their_lines_are(pages: list[list[str]]) -> None:
    from policy_audit.ingest.clean import _split_soft_hyphens, normalise_line, normalise_pages

    expected = [[normalise_line(line) for line in _split_soft_hyphens(page)] for page in pages]
    assert normalise_pages(pages) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TRICKY_LINE, max_size=6), max_size=3), st.integers(0, 60))
def test_dense_text_is_refused_as_counting_every_line_would(
    pages: list[list[str]], limit: int
) -> None:
    from policy_audit.errors import TooLargeError
    from policy_audit.ingest import _refuse_dense, _visible_characters

    dense = _visible_characters(pages, limit)
    if dense > limit:
        with pytest.raises(TooLargeError, match=f"at least {dense:,}"):
            _refuse_dense(pages, "x", limit)
    else:
        _refuse_dense(pages, "x", limit)


def _copied_footers_line_by_line(pages: list[list[str]]) -> list[list[bool]]:
    """``furniture._copied_footers`` as first written: a key and a test for every line."""
    from collections import Counter

    from policy_audit.ingest.furniture import STARTS_BLOCK, key, letters

    keys = [[key(line) if line else "" for line in lines] for lines in pages]
    counts = Counter(k for page in keys for k in page if k)
    return [[bool(line) and "#" in k and counts[k] >= 3 and len(line) < 120
             and letters(k) >= 4 and not STARTS_BLOCK.match(line)
             for line, k in zip(lines, page, strict=True)]
            for lines, page in zip(pages, keys, strict=True)]


# Lines that repeat with other numbers, and case that lower() reads by its neighbours.
_FOOTER_LINE = st.lists(st.sampled_from(
    ["Page ", "ALPR Policy ", "rev ", "3", "12", "0", "ΟΔΟΣ", "Σ", "İ", "ſ", " ", "(a) ", "1.2 ",
     "\n", "x" * 60]), max_size=5).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_FOOTER_LINE, max_size=12), max_size=3))
def test_copied_footers_are_found_as_line_by_line(pages: list[list[str]]) -> None:
    from policy_audit.ingest import furniture

    assert furniture._copied_footers(pages) == _copied_footers_line_by_line(pages)
    for lines in pages:
        assert furniture._keys(lines) == [furniture.key(line) for line in lines]


def _furniture_line_by_line(pages: list[list[str]], paged: bool) -> list[list[str | None]]:
    """``furniture.furniture_of`` as first written: every line asked why it is furniture."""
    from policy_audit.ingest import furniture as f

    running = f._paged_running(pages) if paged else f._copied_footers(pages)
    if 2 * sum(map(sum, running)) >= sum(1 for lines in pages for line in lines if line):
        running = [[False] * len(lines) for lines in pages]
    reasons: list[list[str | None]] = []
    for lines, repeated in zip(pages, running, strict=True):
        nonblank = [i for i, line in enumerate(lines) if line]
        edges = set(nonblank[:4] + nonblank[-4:]) if paged and len(pages) > 1 else set()
        reasons.append([f._reason(line, i in edges, repeated[i]) for i, line in enumerate(lines)])
    return reasons


# Boilerplate words in every case re folds ("ı", "ſ", "K" the Kelvin sign), and text.
_FURNITURE_LINE = st.lists(st.sampled_from(
    ["Page ", "PAGE ", "pAgE", " of ", "3", "12", "©", "(c) ", "(C)2020", "Copyright", "COPYRıGHT",
     "all rights reſerved", "ALL RIGHTS RESERVED", "ΣΟΣ", "İ", "K", " ", "Policy text.", "\n",
     "x" * 120, "-"]), max_size=6).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_FURNITURE_LINE, max_size=12), max_size=4), st.booleans())
def test_furniture_is_found_as_line_by_line(pages: list[list[str]], paged: bool) -> None:
    from policy_audit.ingest import furniture

    assert furniture.furniture_of(pages, paged=paged) == _furniture_line_by_line(pages, paged)


def test_only_the_listed_characters_fold_into_boilerplate_words_unlike_lower_case() -> None:
    """Why ``furniture`` may find boilerplate words in the page lower-cased, not folded."""
    from policy_audit import prefilter
    from policy_audit.ingest import furniture

    letters = set("".join(furniture._BOILERPLATE_WORDS))
    for c in map(chr, range(0x110000)):
        # fold's two ways: the tables (a line with any special character) and lower case.
        tables = c.translate(prefilter._BEFORE_LOWER).lower().translate(prefilter._CANONICAL)
        for folded in (prefilter.fold(c), tables):
            if folded != c.lower() and letters & set(folded):
                assert c in furniture._FOLDS_INTO_WORDS, c


def _continuing_words() -> list[str]:
    from policy_audit.ingest import clean

    return clean._CONTINUING_WORDS


_LINE_END = st.lists(st.sampled_from(
    [*_continuing_words(), *(w.upper() for w in _continuing_words()), "x", "é", "ſ", "İ", " ",
     "\n", ",", "—", "§", ".", "-"]), max_size=8).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_LINE_END)
@example("xwhich\n")  # the longest reach: a letter glued to the word, and a line break
@example("é shall\n")
def test_a_continuing_end_is_found_in_the_tail_as_in_the_whole(text: str) -> None:
    from policy_audit.ingest import clean

    whole = clean._CONTINUES.search(text) is not None
    assert (clean._CONTINUES.search(text[-clean._CONTINUES_REACH:]) is not None) == whole


def _join_searching_always(previous: str, line: str) -> str:
    """``clean._join`` as first written: the hyphen pattern searched at every join."""
    from policy_audit.ingest import clean

    hyphen = clean._HYPHEN_END.search(previous[-100:])
    if hyphen and line[:1].islower():
        left = hyphen.group(1)
        if left.lower() in clean._COMPOUND_PREFIXES or not left.islower():
            return previous + line
        return previous[:-1] + line
    return f"{previous} {line}"


@settings(max_examples=500, deadline=None)
@given(_LINE_END, _LINE_END)
def test_lines_join_as_when_the_hyphen_was_always_searched(previous: str, line: str) -> None:
    from policy_audit.ingest import clean

    previous, line = previous.strip(), line.strip()  # what unwrap joins: stripped lines
    assert clean._join(previous, line) == _join_searching_always(previous, line)


def _inline_with_every_pattern(raw: str) -> str:
    """``markdown._inline_text`` as first written: all four inline patterns on the line."""
    from policy_audit.ingest import markdown as md

    line = md._QUOTE.sub("", raw)
    line = md._IMAGE.sub(r"\1", line)
    line = md._LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else
                        f"{m.group(1)} ({m.group(2)})", line)
    return md._EMPHASIS.sub(r"\2", line)


_MARKDOWN = st.lists(st.sampled_from(
    ["#", " ", "> ", ">", "!", "[", "]", "(", ")", "](", "*", "**", "_", "__", "`", "|", "-",
     "---", ":", "a", "B", "x.y", "\n", "\t", "\u00a0"]), max_size=25).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_MARKDOWN)
def test_markdown_lines_as_with_every_pattern_on_every_line(text: str) -> None:
    from policy_audit.ingest import markdown as md

    for raw in text.splitlines():
        assert md._inline_text(raw) == _inline_with_every_pattern(raw), raw


# Lines that are signs of Markdown, lines that nearly are, and blank ones.
_MARKDOWN_SIGN_LINES = st.lists(st.sampled_from(
    ["# Heading", "#Heading", "- item", "  * item", "-item", "| a | b |", "| a", "text", "",
     " ", "\t"]), max_size=8).map("\n".join)


@settings(max_examples=1000, deadline=None)
@given(_MARKDOWN | _MARKDOWN_SIGN_LINES)
def test_markdown_is_recognised_as_by_line_starts(text: str) -> None:
    import re

    from policy_audit.ingest.sniff import looks_like_markdown

    first_written = re.compile(r"^(?:#{1,6} \S|\s*+[-*] \S.*+|\|.++(?<=\|))$", re.M)
    assert looks_like_markdown(text) == (len(first_written.findall(text[:20000])) >= 3)


def _plain_one_word_at_a_time(words: list[str]) -> int:
    """Plain words as ``looks_garbled`` first counted them: each stripped and tested alone."""
    return sum(
        1 for w in words
        if re.fullmatch(r"[a-z]+|[A-Z][a-z]+|[A-Z]+", w.strip(".,;:()\"'“”’-"))
    )


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["word", "Word", "WORD", "wOrd", "(a)", "“Yes.”", "x\ufffd",
                                 "\ufffd\ufffd"])
                | st.text(alphabet=".,;:()\"'“”’-aZbYé1ſ\ufffd", min_size=1, max_size=8),
                min_size=18, max_size=40))
def test_garbled_counts_plain_words_as_a_word_at_a_time_does(words: list[str]) -> None:
    from policy_audit.ingest import _PLAIN_WORDS, looks_garbled

    plain = _plain_one_word_at_a_time(words)
    assert len(_PLAIN_WORDS.findall("\n".join(words))) == plain
    expected = len(words) >= 20 and (
        plain / len(words) < 0.5 or sum(1 for w in words if "\ufffd" in w) > 5
    )
    assert looks_garbled(words) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Page of12 ©(c)CopyrıghtAL reserved.ſx")),
               max_size=60))
def test_the_boilerplate_precheck_skips_only_lines_the_patterns_miss(line: str) -> None:
    from policy_audit.ingest import furniture

    plain = bool((furniture._PAGE_OF.search(line) and len(line) < 100)
                 or (furniture._COPYRIGHT.search(line) and len(line) < 200))
    assert furniture.is_boilerplate(line) == plain
