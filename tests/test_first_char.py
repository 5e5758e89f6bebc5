"""The first-character lookahead put in front of rubric patterns changes no match."""

from __future__ import annotations

import re

import pytest

from policy_audit.first_char import first_chars, guarded
from policy_audit.ingest import read_document
from policy_audit.loopholes import library
from policy_audit.rubric import list_rubrics

from .hostile_inputs import CLAUSE
from .test_regex_safety import ROOT


def rubric_patterns() -> list[str]:
    patterns = {lh.pattern for lh, _ in library()}
    for rubric in list_rubrics():
        for criterion in rubric.criteria:
            spec = criterion.detect
            if spec is None:
                continue
            patterns |= {e.pattern for e in spec.elements} | {lh.pattern for lh in spec.loopholes}
            if spec.about:
                patterns.add(spec.about)
    return sorted(patterns)


def sample_text() -> str:
    paths = sorted(p for p in (ROOT / "sample_policies").rglob("*")
                   if p.suffix in {".txt", ".md", ".html", ".pdf", ".docx"}
                   and p.name != "README.md")
    texts = [read_document(p).text for p in paths]
    # Case and odd letters the lookahead must fold like the pattern: "ſ" and the Kelvin
    # sign match "s" and "k" under IGNORECASE.
    return "\n".join([*texts, CLAUSE.upper(), "ſhall not \u212aeep", "İ ı"])


def test_guarded_patterns_find_exactly_what_the_originals_find() -> None:
    text = sample_text()
    patterns = rubric_patterns()
    guarded_count = 0
    for pattern in patterns:
        fast = guarded(pattern, re.IGNORECASE)
        guarded_count += fast != pattern
        original = [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
        assert [m.span() for m in re.finditer(fast, text, re.IGNORECASE)] == original, pattern
    assert guarded_count > len(patterns) // 2  # the filter applies to most of them


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(?:retain|purge|delete)\w*", set("rpd")),
        (r"(?i)(?<![\w.])(?:thirty|30)\s+days", set("t3")),
        (r"(?:no|not)?\s*shall", None),  # may start with a space class: unknown
        (r"x?", None),  # matches empty
        (r"\w+ing", None),
        (r"(?s)^(?!.*\bnot\b).*data", None),
    ],
)
def test_first_characters(pattern: str, expected: set[str] | None) -> None:
    assert first_chars(pattern) == (frozenset(expected) if expected is not None else None)


def test_guarded_recipient_patterns_find_what_the_plain_ones_find() -> None:
    from policy_audit.detect.recipients import RECIPIENT_PATTERNS

    text = sample_text() + "\nshared with ICE, the FBI, Ada County ID SO and Texas DPS\n"
    guarded_kinds = 0
    for kind, fast in RECIPIENT_PATTERNS.items():
        if "(?=[" not in fast.pattern:
            continue  # one first letter ("any", "all"): left as it was
        guarded_kinds += 1
        lookahead = fast.pattern[fast.pattern.index("(?=[") : fast.pattern.index("])") + 2]
        plain = fast.pattern.replace(lookahead, "", 1)
        assert [m.span() for m in fast.finditer(text)] == [
            m.span() for m in re.finditer(plain, text)], kind
    assert guarded_kinds >= 6


def test_global_flags_stay_first() -> None:
    fast = guarded(r"(?i)(?s)\b(?:alpha|beta)\b")
    assert fast.startswith("(?i)(?s)(?=[")
    assert re.search(fast, "x BETA y")
