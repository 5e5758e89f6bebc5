"""Modality, negation and exceptions: the words that decide real cases."""

import pytest

from policy_audit.detect.clause import (
    DISCRETIONARY,
    FACT,
    MANDATORY,
    exception_kinds,
    exceptions_after,
    read_clause,
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
    assert read_clause(text, *key(text, verb)).modality == expected


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
    assert read_clause(text, *key(text, verb)).negated is negated


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


@pytest.mark.parametrize(
    ("text", "verb", "modality", "negated"),
    [
        # The sentences on which the two readers the engine once had disagreed.
        ("ALPR data may only be shared with other law enforcement agencies.", "shared",
         MANDATORY, False),
        ("No officer may share ALPR data with any private entity.", "share", MANDATORY, True),
        ("Officers shall log in and record a reason for every search.", "record", MANDATORY,
         False),
        ("Face recognition will not be used.", "Face recognition", MANDATORY, True),
        ("The Department does not share ALPR data with data brokers.", "share", FACT, True),
        # A modal after the key belongs to a new clause, not to the key.
        ("The system records every search, and users cannot alter those records.", "records",
         FACT, False),
    ],
)
def test_one_reader_for_core_and_element_criteria(
    text: str, verb: str, modality: str, negated: bool
) -> None:
    reading = read_clause(text, *key(text, verb))
    assert (reading.modality, reading.negated) == (modality, negated)
