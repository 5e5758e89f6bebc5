"""Layout shapes: a fact stated as a field is read however the page lays it out.

Each shape is written several ways (label / caption / value on three lines, "Key: value",
a table row, a definition list, a label over a list, bullets under a label) and must give
the same reading. The texts are written for these tests.
"""

from __future__ import annotations

import pytest

from policy_audit.fields import fields_of
from policy_audit.ingest import read_document
from policy_audit.pipeline import audit_text
from policy_audit.segment import split_lines
from tests.conftest import source_of

AGENCIES = ["Springfield PD", "Shelbyville County SO", "[Federal] Federal Bureau of Investigation",
            "Ogdenville PD", "Capital City PD", "North Haverbrook PD"]  # fmt: skip


def card_of(text: str):
    return audit_text(source_of(text), "core")


def html_card(page: str):
    return audit_text(read_document(page.encode(), name="portal.html"), "core")


RETENTION_LAYOUTS = {
    "label, caption, value": "Data Retention\nHow long plate reads are kept.\n21 days",
    "label and value": "Data retention (in days)\n21 days",
    "unit in the label": "Retention period (days)\n21",
    "key: value": "Retention period: 21 days",
    "key | value": "Retention period | 21 days",
    "label, caption, value in words": "Data Retention\nThe number of days data is retained.\n"
                                      "twenty-one days",
}  # fmt: skip


@pytest.mark.parametrize("layout", RETENTION_LAYOUTS.values(), ids=RETENTION_LAYOUTS.keys())
def test_retention_field_is_read_in_every_layout(layout: str) -> None:
    text = f"Riverbend Police Transparency Page\n{layout}\nTotal Cameras\n14\n"
    card = card_of(text)
    assert card.facts.retention_days == 21
    retention = card.criterion("retention")
    assert retention.level == "strong"
    assert retention.evidence[0].text.rstrip().endswith(("21 days", "21", "twenty-one days"))
    # The quote is the field itself: label through value, the document's exact words.
    assert text[retention.evidence[0].start : retention.evidence[0].end] == retention.evidence[
        0
    ].text


def test_retention_in_an_html_table_row_and_a_definition_list() -> None:
    for page in (
        "<table><tr><th>Retention period</th><td>45 days</td></tr></table>",
        "<dl><dt>Data retention</dt><dd>45 days</dd><dt>Cameras</dt><dd>9</dd></dl>",
    ):
        card = html_card(f"<html><body><h1>Transparency</h1>{page}</body></html>")
        assert card.facts.retention_days == 45
        assert card.criterion("retention").level == "partial"


def test_a_field_with_no_value_is_not_a_limit() -> None:
    card = card_of("Data Retention\nThe number of days data is retained.\nData Unavailable\n")
    assert card.facts.retention_days is None


def test_an_indefinite_value_is_no_limit() -> None:
    card = card_of("Retention period: Indefinite\n")
    assert card.facts.retention_days is None
    assert card.criterion("retention").level == "weak"


OUTBOUND_LAYOUTS = {
    "label, caption, one per line": "Sharing Network Data With\n"
                                    "Organizations granted access to Riverbend PD data.\n"
                                    + "\n".join(AGENCIES),
    "label over a one-line list": "Organizations granted access to Riverbend PD data\n"
                                  + ", ".join(AGENCIES),
    "colon label over a list": "Agencies we share data with:\n" + "\n".join(AGENCIES),
    "bullets under a label": "Agencies we share data with:\n"
                             + "\n".join(f"- {a}" for a in AGENCIES),
}  # fmt: skip


@pytest.mark.parametrize("layout", OUTBOUND_LAYOUTS.values(), ids=OUTBOUND_LAYOUTS.keys())
def test_an_outbound_access_list_is_standing_broad_sharing(layout: str) -> None:
    card = card_of(f"Riverbend PD Transparency\n{layout}\nPolicy & Trust\n")
    sharing = card.criterion("sharing")
    assert sharing.level == "weak"
    assert sharing.rule == "sharing.weak-grant_list"
    # The federal entry is read from the list (it matters for immigration).
    assert card.criterion("immigration").level == "weak"


def test_an_inbound_list_is_not_this_agencys_sharing() -> None:
    text = ("Receiving Network Data From\nOrganizations sharing their data with Riverbend PD.\n"
            + "\n".join(AGENCIES) + "\n")  # fmt: skip
    card = card_of(text)
    assert card.criterion("sharing").level == "missing"


def test_a_list_ends_at_the_next_field() -> None:
    text = ("Sharing Network Data With\nOrganizations granted access to Riverbend PD data.\n"
            + "\n".join(AGENCIES)
            + "\nReceiving Network Data From\nOrganizations sharing their data with us.\n"
            "Lakeside PD\n")  # fmt: skip
    fields = fields_of(split_lines(text))
    outbound = next(f for f in fields if f.key.text.startswith("Sharing"))
    assert [entry for entry, _ in outbound.entries()] == AGENCIES


def test_an_all_capitals_entry_does_not_end_a_list() -> None:
    entries = ["Springfield PD", "MOCRIC", "Ogdenville PD"]
    text = "Agencies granted access to our data:\n" + "\n".join(entries) + "\n"
    outbound = fields_of(split_lines(text))[0]
    assert [entry for entry, _ in outbound.entries()] == entries


@pytest.mark.parametrize("value", ["None", "N/A", "Riverbend PD is not sharing data with any "
                                   "partner networks."])  # fmt: skip
def test_an_empty_access_list_limits_sharing(value: str) -> None:
    card = card_of(f"Sharing Network Data With\nOrganizations granted access to our data.\n"
                   f"{value}\nPolicy & Trust\n")  # fmt: skip
    assert card.criterion("sharing").level == "partial"


FIGURE_LAYOUTS = {
    "label, caption, number": "Number of Searches\nUser search sessions over the last 30 days.\n"
                              "1,204",
    "label and number": "Searches in the last 30 days\n1,204",
    "key: number": "Hotlist hits this month: 87",
    "table row": "Vehicles detected (last 30 days) | 412,733",
}  # fmt: skip


@pytest.mark.parametrize("layout", FIGURE_LAYOUTS.values(), ids=FIGURE_LAYOUTS.keys())
def test_a_usage_figure_counts_as_public_figures(layout: str) -> None:
    card = card_of(f"Riverbend PD Transparency Portal\n{layout}\n")
    reporting = card.criterion("reporting")
    assert reporting.level == "partial"
    assert any(ch.isdigit() for ch in reporting.evidence[0].text)


def test_a_number_that_is_not_usage_is_no_figure() -> None:
    card = card_of("Riverbend PD\nTotal Cameras\nNumber of cameras in the city.\n14\n")
    assert card.criterion("reporting").level == "missing"


def test_two_short_lines_under_a_caption_less_label_are_value_and_next_label() -> None:
    text = "Hotlists Alerted On\nState stolen vehicles, Amber Alerts\nCameras\n12\n"
    keys = [(f.key.text, f.value_text) for f in fields_of(split_lines(text))]
    assert keys == [("Hotlists Alerted On", "State stolen vehicles, Amber Alerts"),
                    ("Cameras", "12")]  # fmt: skip


def test_a_label_with_no_value_before_the_next_pair() -> None:
    text = "Usage\nData retention (in days)\n30 days\n"
    keys = [(f.key.text, f.value_text) for f in fields_of(split_lines(text))]
    assert keys == [("Data retention (in days)", "30 days")]


def test_a_list_spanning_several_states_opens_the_door_to_immigration_use() -> None:
    entries = ["Springfield OR PD", "Shelbyville TN SO", "Ogdenville OR PD"]
    text = ("Sharing Network Data With\nOrganizations granted access to Riverbend PD data.\n"
            + "\n".join(entries) + "\nPolicy & Trust\n")  # fmt: skip
    assert card_of(text).criterion("immigration").level == "weak"


def test_a_one_state_list_says_nothing_of_immigration() -> None:
    entries = ["Springfield OR PD", "Portland Police Bureau (OR)", "Ogdenville OR PD"]
    text = ("Sharing Network Data With\nOrganizations granted access to Riverbend PD data.\n"
            + "\n".join(entries) + "\nPolicy & Trust\n")  # fmt: skip
    assert card_of(text).criterion("immigration").level == "missing"


@pytest.mark.parametrize("rule", ["Network Sharing Policy: We share statewide only.",
                                  "We share data only within the state."])  # fmt: skip
def test_a_stated_in_state_rule_narrows_a_standing_list(rule: str) -> None:
    text = ("Sharing Network Data With\nOrganizations granted access to Riverbend PD data.\n"
            + "\n".join(AGENCIES[:2]) + f"\n{rule}\n")  # fmt: skip
    assert card_of(text).criterion("sharing").level == "partial"


def test_a_page_pointing_at_the_policies_below_does_not_publish_the_policy() -> None:
    text = ("Riverbend PD\nTransparency Portal\nThey have made the policies and usage statistics "
            "below available to the public.\nSearches in the last 30 days\n40\n")  # fmt: skip
    assert card_of(text).criterion("reporting").level == "partial"
