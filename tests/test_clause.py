"""Modality, negation and exceptions: the words that decide real cases."""

import pytest

from policy_audit.detect.clause import (
    DISCRETIONARY,
    FACT,
    MANDATORY,
    exception_kinds,
    exceptions_after,
    modality_before,
    negated_around,
)


def key(text: str, word: str) -> tuple[int, int]:
    at = text.index(word)
    return at, at + len(word)


@pytest.mark.parametrize(
    ("text", "verb", "expected"),
    [
        ("ALPR data shall be purged after 30 days.", "purged", MANDATORY),
        ("ALPR data must be deleted after 30 days.", "deleted", MANDATORY),
        ("ALPR data will be destroyed after 30 days.", "destroyed", MANDATORY),
        ("ALPR data may be purged after 30 days.", "purged", DISCRETIONARY),
        ("ALPR data should be purged after 30 days.", "purged", DISCRETIONARY),
        ("ALPR data is automatically deleted after 30 days.", "deleted", FACT),
    ],
)
def test_modality_of_the_governing_verb(text: str, verb: str, expected: str) -> None:
    assert modality_before(text, text.index(verb)) == expected


@pytest.mark.parametrize(
    ("text", "verb", "negated"),
    [
        ("ALPR data shall not be shared with federal agencies.", "shared", True),
        ("No member shall share ALPR data with a private entity.", "share", True),
        ("ALPR data is never sold to third parties.", "sold", True),
        ("Under no circumstances will data be released to ICE.", "released", True),
        ("Sharing ALPR data with vendors is prohibited.", "Sharing", True),
        ("ALPR data may be shared with other law enforcement agencies.", "shared", False),
        ("Data not related to an investigation shall be shared only on request.", "shared", False),
    ],
)
def test_negation_scope(text: str, verb: str, negated: bool) -> None:
    assert negated_around(text, *key(text, verb)) is negated


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("shall not be shared with ICE except as required by law.", "law"),
        ("shall not be shared with ICE unless approved by the Chief of Police.", "approval"),
        ("shall not be shared with ICE except pursuant to a judicial warrant.", "judicial"),
        ("shall not be shared with ICE except in response to a court order.", "judicial"),
        (
            "shall be purged after 30 days unless it has become evidence in a criminal case.",
            "evidence",
        ),
    ],
)
def test_exceptions_are_found_and_classified(text: str, kind: str) -> None:
    phrases = exceptions_after(text, 0)
    assert phrases, "the exception was not found"
    assert exception_kinds(phrases)[0] == kind


def test_no_exception_in_a_plain_ban() -> None:
    assert exceptions_after("ALPR data shall not be shared with ICE.", 0) == []
