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


def _portal_with(policy: str) -> str:
    return ("Lakeside PD\nTransparency Portal\nSearches in the last 30 days\n412\n" + policy)


POLICY_TEXT = "\n".join([
    "Lakeside PD ALPR Policy",
    "1. Members shall use ALPR only for the purposes listed here.",
    "2. Data not tied to a hit shall be purged after 30 days.",
    "3. Data shall be shared only with law enforcement agencies on written request.",
    "4. Data shall not be sold to anyone.",
    "5. Every search must be logged with a case number.",
    "6. The administrator shall audit searches each quarter.",
])  # fmt: skip


def test_a_transparency_page_carrying_the_policy_text_publishes_it() -> None:
    card = audit_text(source_of(_portal_with(POLICY_TEXT)), "core")
    reporting = card.criterion("reporting")
    assert reporting.level == "strong", reporting.explanation
    assert any(e.text == "Lakeside PD ALPR Policy" for e in reporting.evidence)


def test_a_policy_summary_on_a_page_is_not_the_policy() -> None:
    summary = "Acceptable Use Policy\nData is used for law enforcement purposes only.\n"
    assert audit_text(source_of(_portal_with(summary)), "core").criterion(
        "reporting").level == "partial"  # fmt: skip


def test_a_policy_manual_is_not_a_transparency_page() -> None:
    card = audit_text(source_of(POLICY_TEXT), "core")
    assert card.criterion("reporting").level in ("missing", "weak")
