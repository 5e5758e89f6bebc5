"""The prefilter (``policy_audit.prefilter``) only skips texts a pattern cannot match, and the
literal trie (``policy_audit.literal_trie``) matches exactly its phrases.

A wrong required word would silently drop findings, so the property is checked three
ways: on the shapes the parser produces, on every reading pattern against every sentence
of the bundled samples and the rubrics' own examples, and on generated texts that mix
case and the characters ``re`` folds specially ("ſ", "ı", "İ", the Kelvin sign).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_audit import load_rubric
from policy_audit.detect import recipients
from policy_audit.ingest import read_document
from policy_audit.literal_trie import trie_pattern
from policy_audit.prefilter import (
    Prefiltered,
    fast_pattern,
    fold,
    required_conjunction,
    required_literals,
)
from policy_audit.rubric import compiled
from policy_audit.states import STATE_NAMES

SAMPLES = Path(__file__).resolve().parent.parent / "sample_policies"


@pytest.mark.parametrize(("pattern", "required"), [
    (r"(?i)\b(?:shall|must)\s+not\s+share", {"share"}),
    (r"(?i)\bpurg(?:e|ed)\b", {"purge", "purged"}),
    (r"(?i)\b(?:ICE|Immigration\s+and\s+Customs)\b", {"ice", "immigration"}),
    (r"(?i)organi[sz]ations?", {"organisation", "organization"}),
    (r"(?i)(?:third)?\s*party", {"party"}),  # an optional word is not required
])
def test_required_literals_read_the_shape(pattern: str, required: set[str]) -> None:
    assert required_literals(pattern) == frozenset(required)


@pytest.mark.parametrize("pattern", [
    r"(?i)(?:a|b)c",  # shorter than three characters: in nearly every text, no filter
    r"(?i)(?:shall)?",  # matches the empty string
    r"[^x]{3}",  # a negated class
    r"\w+\s+\d+",  # classes only
])
def test_no_requirement_means_always_run(pattern: str) -> None:
    compiled_ = Prefiltered(re.compile(pattern))
    assert compiled_.required is None
    assert compiled_.may_match("anything at all")


def test_a_required_word_after_open_classes_is_found() -> None:
    assert Prefiltered(re.compile(r"\w+\s+days")).required == ("days",)


def test_each_part_of_a_sequence_is_required() -> None:
    pattern = r"(?i)\b(?:shall|must)\s+(?:not\s+)?be\s+(?:purged|deleted)\s+(?:after|within)"
    assert set(required_conjunction(pattern)) == {
        frozenset({"purged", "deleted"}), frozenset({"after", "within"}),
        frozenset({"shall", "must"})}
    compiled_ = fast_pattern(pattern)
    # Every word of one part but none of another: skipped without running the pattern.
    assert not compiled_.may_match("Data shall be purged when no longer needed.")
    assert compiled_.search("Data shall be purged after 30 days.") is not None


def test_a_text_without_the_word_is_skipped_and_one_with_it_is_searched() -> None:
    pattern = fast_pattern(r"(?i)\bshall\s+be\s+purged\b")
    assert pattern.search("Data shall be retained.") is None
    assert not pattern.may_match("Data shall be retained.")
    found = pattern.search("Data SHALL be\nPURGED.")
    assert found is not None and found.group(0) == "SHALL be\nPURGED"


def test_fold_is_what_re_compares_under_ignorecase() -> None:
    # "ſ" matches "s", "ı" and "İ" match "i", the Kelvin sign matches "k" (re's tables).
    for text, literal in [("purſed", "pursed"), ("prohıbited", "prohibited"),
                          ("İCE", "ice"), ("\u212aeep", "keep")]:  # fmt: skip
        assert re.search(f"(?i){literal}", text)
        assert literal in fold(text)


def _reading_patterns() -> list[Prefiltered]:
    patterns = list(recipients.RECIPIENT_PATTERNS.values())
    for rubric_id in ("core", "comprehensive"):
        rubric = load_rubric(rubric_id)
        for criterion in rubric.criteria:
            if criterion.detect is None:
                continue
            patterns += [compiled(e.pattern) for e in criterion.detect.elements]
            patterns += [compiled(lh.pattern) for lh in criterion.detect.loopholes]
    from policy_audit.detect import reporting, sharing

    for module in (reporting, sharing):
        patterns += [v for v in vars(module).values() if isinstance(v, Prefiltered)]
    return patterns


def _sample_sentences() -> list[str]:
    paths = [p for p in SAMPLES.rglob("*") if p.suffix in {".txt", ".md", ".html", ".docx",
                                                           ".pdf"} and p.name != "README.md"]
    texts = [read_document(path).text for path in paths]
    for rubric_id in ("core", "comprehensive"):
        for criterion in load_rubric(rubric_id).criteria:
            texts += [e.text for e in criterion.examples]
            texts += [m.text for m in criterion.near_misses]
    return [line for text in texts for line in text.splitlines() if line.strip()]


def test_no_sentence_a_pattern_matches_is_ever_skipped() -> None:
    patterns = _reading_patterns()
    sentences = _sample_sentences()
    assert len(patterns) > 100 and len(sentences) > 300
    matched = 0
    for pattern in patterns:
        for sentence in sentences:
            if pattern._compiled.search(sentence) is not None:
                matched += 1
                assert pattern.may_match(sentence), (pattern.pattern, sentence)
    assert matched > 500  # the check saw real matches, not only misses


_TRICKY = st.sampled_from(["ſ", "ı", "İ", "\u212a", "Σ", "ς", " ", "\n", "-", "é"])


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_generated_texts_agree_with_the_pattern(data: st.DataObject) -> None:
    patterns = [p for p in _PATTERNS if p.required]
    pattern = data.draw(st.sampled_from(patterns))
    assert pattern.required is not None
    # A required word, its case and letters mixed up, inside noise: the prefilter must
    # let through every text the pattern matches.
    word = data.draw(st.sampled_from(pattern.required))
    cased = "".join(c.upper() if data.draw(st.booleans()) else c for c in word)
    swaps = {"s": "ſ", "i": data.draw(st.sampled_from(["ı", "İ"])), "k": "\u212a"}
    mixed = "".join(swaps.get(c, c) if data.draw(st.booleans()) else c for c in cased)
    noise = st.text(alphabet=st.one_of(st.characters(codec="ascii"), _TRICKY), max_size=20)
    text = data.draw(noise) + mixed + " " + data.draw(noise)
    if pattern._compiled.search(text) is not None:
        assert pattern.may_match(text)


_PATTERNS = _reading_patterns()


def test_the_state_trie_matches_exactly_the_state_names() -> None:
    trie = re.compile(r"(?i)\b(?:" + trie_pattern(STATE_NAMES.values()) + r")\b")
    plain = re.compile(r"(?i)\b(?:" + "|".join(
        n.replace(" ", r"\s+") for n in STATE_NAMES.values()) + r")\b")
    text = ("Shared with NEW  YORK and new\nmexico agencies, Kansas and Arkansas, "
            "West Virginia, Virginia; not Kansasville nor Newyork.")
    assert [m.group(0) for m in trie.finditer(text)] == [m.group(0) for m in plain.finditer(text)]
    assert len(list(trie.finditer(text))) == 6


def test_a_phrase_that_prefixes_another_keeps_both() -> None:
    trie = re.compile(r"(?i)\b" + trie_pattern(["data", "database"]) + r"\b")
    assert [m.group(0) for m in trie.finditer("the data and the Database")] == [
        "data", "Database"]
    with pytest.raises(ValueError):
        trie_pattern([])


def test_fold_agrees_with_re_on_every_character() -> None:
    # re compares a character by its simple lower case, with a few more made equal ("ſ" and
    # "s"); fold must give every character the same folded form, or a skipped text could
    # hold a match.
    import importlib

    sre = importlib.import_module("_sre")
    from policy_audit.prefilter import _CANONICAL

    wrong = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates: no text holds them alone
        lower = sre.unicode_tolower(code)
        if fold(chr(code)) != chr(_CANONICAL.get(lower, lower)):
            wrong.append(hex(code))
    assert wrong == []


def _rubric_patterns() -> list[Prefiltered]:
    found: dict[str, Prefiltered] = {}
    for rubric_id in ("core", "comprehensive"):
        for criterion in load_rubric(rubric_id).criteria:
            if criterion.detect is None:
                continue
            spec = criterion.detect
            texts = [e.pattern for e in spec.elements] + [lh.pattern for lh in spec.loopholes]
            texts += [spec.about] if spec.about else []
            found.update((p, compiled(p)) for p in texts)
    return list(found.values())


def test_exclusions_read_apart_find_exactly_what_the_pattern_finds() -> None:
    patterns = _rubric_patterns()
    split = [p for p in patterns if p._split is not None]
    assert len(split) >= 5  # the "(?s)^(?!.*X)…" shape is common in the rubrics' abouts
    sentences = _sample_sentences()
    agreed = 0
    for pattern in split:
        for sentence in sentences:
            ours, theirs = pattern.search(sentence), pattern._compiled.search(sentence)
            assert (ours and ours.span()) == (theirs and theirs.span()), (pattern.pattern,
                                                                          sentence)
            assert [m.span() for m in pattern.finditer(sentence)] == [
                m.span() for m in pattern._compiled.finditer(sentence)]
            agreed += theirs is not None
    assert agreed > 50  # matches were compared, not only misses


def test_an_exclusion_anywhere_in_the_text_rules_it_out() -> None:
    pattern = fast_pattern(r"(?s)^(?!.*\bother\s+agencies\b)(?!.*\bnever\b).*\bdata\b")
    assert pattern._split is not None and len(pattern._split.exclusions) == 2
    assert pattern.search("Plate data is kept.") is not None
    assert pattern.search("Plate data is shared with\nother agencies.") is None
    assert pattern.search("Data is never kept.") is None
    assert pattern.search("Plate data is kept.", 1) is None  # "^": the start only, as re


def test_test_says_whether_the_pattern_matches_for_every_rubric_pattern() -> None:
    # ``test`` answers a ``^.*Y`` pattern by searching for Y: it must agree with the full
    # pattern on every sample and rubric sentence, and on the sentences joined (the
    # ``about`` texts readers test are a sentence and its headings, on lines of their own).
    patterns = _rubric_patterns()
    tailed = [p for p in patterns if p._split is not None and p._split.tail is not None]
    assert len(tailed) >= 5
    sentences = _sample_sentences()
    texts = sentences + ["\n".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    agreed = 0
    for pattern in patterns:
        for text in texts:
            expected = pattern._compiled.search(text) is not None
            assert pattern.test(text) == expected, (pattern.pattern, text)
            agreed += expected
    assert agreed > 100  # matches were compared, not only misses


def test_test_finds_the_tail_anywhere_and_keeps_the_exclusions() -> None:
    pattern = fast_pattern(r"(?s)^(?!.*\bnever\b).*\bdata(?:base)?\b")
    assert pattern._split is not None and pattern._split.tail is not None
    assert pattern.test("Plate reads and\nthe database are kept.")
    assert pattern.test("data first, then more words")
    assert not pattern.test("Plate reads are kept.")
    assert not pattern.test("Data is never kept.")
    possessive = fast_pattern(r"(?s)^(?!.*\bnever\b).*+\bdata\b")
    assert possessive._split is not None and possessive._split.tail is None  # never backtracks
    assert possessive.test("data") == (possessive._compiled.search("data") is not None)


def test_each_alternative_is_tested_with_its_own_words() -> None:
    pattern = fast_pattern(r"(?i)\b(?:use|utilize)\s+(?:\w+\s+){0,5}?(?:only|solely)\s+for\b|"
                           r"\b(?:used|utilized)\s+(?:only|solely)\b")
    # "used" (second alternative) and "for" (first) are here, but no alternative has all
    # its words: the text is skipped without running the pattern.
    assert pattern.may_match("Data used for audits is only kept a year.")
    assert not pattern.may_match("Data is used for audits.")
    assert pattern.search("Data is used for audits.") is None
    assert pattern.search("Data is used only for audits.") is not None
    assert pattern.search("Staff use the data solely for audits.") is not None
    with_open_branch = fast_pattern(r"\b(?:shall|\w+ly)\s+purge\b")
    assert with_open_branch.search("They quickly purge it.") is not None
