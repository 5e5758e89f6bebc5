"""Segment: lines, headings, sections and sentences on a Doc whose text is the input."""

from __future__ import annotations

import pytest

from policy_audit.segment import classify_line, lines_of, make_doc

POLICY = """\
Riverton Police Department
462.1 PURPOSE AND SCOPE
This policy governs license plate readers. It applies to all members.
462.6 RETENTION
(a) Non-hit data shall be purged after 30 days, per Cal. Civ. Code § 1798.90.51.
(b) Hit data follows the evidence schedule.
## Public reporting
Data retention (in days)
30
"""


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("462.6 RETENTION", "heading"),
        ("Section 9 Log of Use", "heading"),
        ("IV. DATA RETENTION", "heading"),
        ("## Public reporting", "heading"),
        ("DATA SHARING", "heading"),
        ("(a) Non-hit data shall be purged after 30 days.", "item"),
        ("• Requests must be in writing.", "item"),
        ("Data retention (in days)", "label"),
        ("Data shall be purged after 30 days.", "body"),
        ("1.2 The ALPR administrator shall review every request and keep a record of it.", "body"),
    ],
)
def test_line_kinds(line: str, kind: str) -> None:
    assert classify_line(line) == kind


def test_doc_text_is_the_input_so_offsets_stay_true() -> None:
    doc = make_doc(POLICY)
    assert doc.text == POLICY
    for line in lines_of(doc):
        assert POLICY[line.start : line.end] == line.text


def test_sentences_stay_inside_lines_and_respect_abbreviations() -> None:
    sentences = [s.text.strip() for s in make_doc(POLICY).sents]
    assert "This policy governs license plate readers." in sentences
    assert "It applies to all members." in sentences
    # "Cal. Civ. Code" does not end a sentence.
    assert any(s.endswith("Cal. Civ. Code § 1798.90.51.") for s in sentences)
    assert "462.6 RETENTION" in sentences  # a heading is its own sentence


def test_each_line_knows_its_section() -> None:
    lines = {line.text: line for line in lines_of(make_doc(POLICY))}
    assert lines["(b) Hit data follows the evidence schedule."].section == "462.6 RETENTION"
    assert lines["30"].section == "Public reporting"
    assert lines["30"].label == "Data retention (in days)"


def test_sections_are_spans_from_heading_to_next_heading() -> None:
    doc = make_doc(POLICY)
    labels = [span.label_ for span in doc.spans["sections"]]
    assert labels == ["462.1 PURPOSE AND SCOPE", "462.6 RETENTION", "## Public reporting"]
    retention = doc.spans["sections"][1]
    assert "Hit data follows" in retention.text and "PURPOSE" not in retention.text


# Special cases ("don't", "a.m.", "No.") stop spaCy caching the rest of a document; the
# words make_doc caches first must be split exactly as the plain tokenizer splits them.
_SPECIALS = ("Don't share data with ICE (U.S. DHS) after 5 p.m.; see No. 462.6, e-mail "
             "the Dept. at records@city.gov. Plate reads can't be kept past 30-day limits "
             "[sic] \u2014 they're purged.\n(a) Mr. Smith's \"hot list\" isn't shared.\n")


def _plain_tokens(text: str) -> list[str]:
    import spacy

    from policy_audit.segment import _keep_whole

    nlp = spacy.blank("en")
    nlp.tokenizer.token_match = _keep_whole  # as the pipeline's tokenizer
    return [token.text for token in nlp.make_doc(text)]


def test_cached_words_are_split_as_the_plain_tokenizer_splits_them() -> None:
    first = make_doc(_SPECIALS)
    again = make_doc(_SPECIALS + _SPECIALS)  # now every chunk comes from the cache
    assert [t.text for t in first] == _plain_tokens(_SPECIALS)
    assert [t.text for t in again] == _plain_tokens(_SPECIALS + _SPECIALS)


def test_the_cache_of_words_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_audit import segment

    monkeypatch.setattr(segment, "_CACHED_CHUNKS", set())
    monkeypatch.setattr(segment, "_CACHED_CHUNKS_LIMIT", 50)
    text = " ".join(f"word{n}-x{n}." for n in range(400)) + "\n"
    doc = make_doc(text)
    assert len(segment._CACHED_CHUNKS) == 50
    assert [t.text for t in doc] == _plain_tokens(text)  # past the bound: read as usual


def test_sentence_bounds_and_token_starts_agree_with_spacy() -> None:
    from policy_audit.segment import sentence_bounds, token_start

    doc = make_doc(POLICY + _SPECIALS)
    text = doc.text
    assert [text[a:b].strip() for a, b in sentence_bounds(doc)] == [
        s.text.strip() for s in doc.sents]
    assert [token_start(doc, i) for i in range(len(doc))] == [t.idx for t in doc]
