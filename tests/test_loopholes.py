"""Named loopholes: each catches its wording, and scorecards quote where a policy uses it."""

from __future__ import annotations

import pytest

from policy_audit.loopholes import library
from policy_audit.pipeline import audit_text
from tests.conftest import source_of

LOOPHOLES = library()


def test_the_library_is_shipped() -> None:
    assert len(LOOPHOLES) >= 10
    assert {"open-ended-retention", "as-permitted-by-law", "any-law-enforcement-agency",
            "vendor-network-sharing", "no-search-standard"} <= {lh.id for lh, _ in LOOPHOLES}


@pytest.mark.parametrize(("index", "example"), [
    pytest.param(i, ex, id=f"{lh.id}-{n}")
    for i, (lh, _) in enumerate(LOOPHOLES) for n, ex in enumerate(lh.examples)
])
def test_each_loophole_catches_its_examples(index: int, example: str) -> None:
    loophole, _ = LOOPHOLES[index]
    card = audit_text(source_of(example))
    found = {lh.id: lh for lh in card.loopholes}
    assert loophole.id in found, f"{loophole.id} missed: {example!r}"
    assert found[loophole.id].evidence[0].text == example
    assert found[loophole.id].criterion == loophole.criterion


@pytest.mark.parametrize(
    "text",
    [
        "Non-hit data shall be purged no later than 30 days after collection.",
        "ALPR data shall not be shared with ICE except pursuant to a judicial warrant.",
        "ALPR data may be shared only with California public law enforcement agencies.",
        "Can other law enforcement agencies see our data?",  # a question is not a rule
        "All law enforcement agencies must comply with state statutes on ALPR data.",
    ],
)
def test_sound_language_is_not_a_loophole(text: str) -> None:
    assert audit_text(source_of(text)).loopholes == []


def test_loophole_evidence_points_into_the_text() -> None:
    text = "462.6 RETENTION\nData may be retained as long as it is operationally useful."
    card = audit_text(source_of(text))
    (found,) = card.loopholes
    evidence = found.evidence[0]
    assert text[evidence.start : evidence.end] == evidence.text


def test_every_loophole_in_one_document_is_reported() -> None:
    # One document holding every shipped example: each loophole is found wherever it sits.
    examples = [ex for lh, _ in LOOPHOLES for ex in lh.examples[:1]]
    card = audit_text(source_of("\n\n".join(examples)))
    assert {lh.id for lh in card.loopholes} >= {lh.id for lh, _ in LOOPHOLES if lh.examples}
