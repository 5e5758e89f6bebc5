"""Recipients: who a clause sends the data to (or bars), as kinds the scorers reason about."""

from __future__ import annotations

import pytest

from policy_audit.detect.recipients import find_recipients, kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shall not be shared with ICE", {"immigration"}),
        ("U.S. Immigration and Customs Enforcement", {"immigration"}),
        ("Customs and Border Protection", {"immigration"}),
        ("the U.S. Department of Homeland Security", {"immigration"}),
        ("federal immigration authorities", {"immigration", "federal"}),
        ("the FBI and other federal agencies", {"federal"}),
        ("agencies outside the state", {"out_of_state"}),
        ("out-of-state law enforcement agencies", {"out_of_state", "law_enforcement"}),
        ("any law enforcement agency", {"any_agency", "law_enforcement"}),
        ("all requesting agencies", {"any_agency"}),
        ("other California law enforcement agencies", {"in_state", "law_enforcement"}),
        ("Minnesota public agencies", {"in_state"}),
        ("private companies or data brokers", {"private"}),
        ("third parties", {"private"}),
        ("any other individual or entity", {"private"}),
        ("the vendor's nationwide sharing network", {"network"}),
        ("National Lookup", {"network"}),
    ],
)
def test_recipient_kinds(text: str, expected: set[str]) -> None:
    assert kinds(find_recipients(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "as required by federal law",  # a law, not a recipient
        "federal and state statutes",
        "the Department's own investigators",
        "members of the department",
    ],
)
def test_no_recipient(text: str) -> None:
    assert kinds(find_recipients(text)) == set()


def test_offsets_point_into_the_document() -> None:
    text = "Data may be shared with ICE."
    (found,) = find_recipients(text, offset=100)
    assert (found.start, found.end) == (100 + text.index("ICE"), 100 + text.index("ICE") + 3)
    assert found.text == "ICE"
