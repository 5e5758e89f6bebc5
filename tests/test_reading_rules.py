"""Classes of wording that decide real cases, each written several ways for these tests:
a ban on *civil* immigration enforcement only, a bare item under a forbidding lead-in or
heading, a statement of practice, a carve-out sentence, and sharing bans with a records-law
exception."""

from __future__ import annotations

import pytest

from policy_audit.pipeline import audit_text
from tests.conftest import source_of

CASES = [
    # A civil-only ban leaves criminal immigration enforcement open: never strong.
    ("immigration", "partial", "ALPR data shall not be used or shared for the purpose of civil "
     "immigration enforcement. This section does not prevent the use of ALPR data in a lawful "
     "criminal investigation."),
    ("immigration", "partial", "Members may not use, share or disclose plate reads to assist "
     "federal civil immigration enforcement."),
    ("immigration", "strong", "Members may not use, share or disclose plate reads to assist "
     "immigration enforcement."),
    # A carve-out sentence keeps immigration work open: a ban with it is partial.
    ("immigration", "partial", "ALPR data shall not be used or shared for immigration "
     "enforcement. Nothing in this section prohibits sharing data with immigration authorities "
     "when a task force requests it."),
    # Bare list items under a forbidding heading or lead-in are prohibitions.
    ("immigration", "partial", "Prohibited Uses\n- Immigration enforcement\n- Personal use"),
    ("immigration", "partial", "The system shall not be used for the following:\n"
     "- harassment of any person\n- immigration enforcement\n- personal use"),
    ("immigration", "partial", "ALPR data must never be used for:\n(a) traffic enforcement\n"
     "(b) enforcing federal immigration law"),
    # A list under a neutral lead-in is no ban.
    ("immigration", "missing", "The system is used for the following:\n- stolen vehicles\n"
     "- missing persons"),
    # Statements of practice count as rules.
    ("immigration", "partial", "The Department does not use ALPR data for civil immigration "
     "enforcement."),
    ("immigration", "partial", "Our agency does not use plate data for immigration "
     "enforcement."),
    ("immigration", "strong", "The Department does not use or share ALPR data for immigration "
     "enforcement."),
    # A sharing ban with a public-records exception is a ban, not a permission.
    ("sharing", "partial", "Sharing ALPR data with third parties is prohibited except as "
     "required by the Public Records Act."),
    ("sharing", "partial", "No officer may share ALPR data with any private entity."),
]


@pytest.mark.parametrize(("criterion", "level", "text"), CASES)
def test_reading_rule(criterion: str, level: str, text: str) -> None:
    card = audit_text(source_of(text), "core")
    result = card.criterion(criterion)
    assert result.level == level, result.explanation
    assert all(text[e.start : e.end] == e.text for e in result.evidence)


def test_a_sharing_ban_with_a_records_law_exception_is_read_as_a_ban() -> None:
    card = audit_text(source_of(
        "Sharing ALPR data with third parties is prohibited except as required by the Public "
        "Records Act."), "core")  # fmt: skip
    assert card.criterion("sharing").rule == "sharing.partial-some-limits"
    assert "ban on private release" not in card.criterion("sharing").explanation.split("lacks")[-1]
