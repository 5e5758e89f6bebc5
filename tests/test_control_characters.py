"""NUL and the other C0 control characters never reach the stored text.

PostgreSQL refuses NUL in text and JSONB, and no policy means anything by a control
character; ingest removes them while it normalises lines, so the evidence offsets of the
scorecard count the same text the service stores.
"""

from __future__ import annotations

import re

import pytest

from policy_audit import audit
from policy_audit.ingest import read_document

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Our own words; long enough that the dirt sits past the first 8 KB the binary check reads.
FILLER = "Section {n}. Officers shall keep the patrol log current and complete.\n"
POLICY = (
    "".join(FILLER.format(n=n) for n in range(150))
    + "Retention.\x00 License plate reads not tied to an investigation shall be purged "
    "after thirty\x01 (30) days.\x7f\n"
    + "Sharing. Data shall\x0bnot be shared with any federal immigration agency.\x1f\n"
)


def test_control_characters_past_the_first_8kb_are_removed() -> None:
    data = POLICY.encode("utf-8")
    assert data.index(b"\x00") > 8192
    source = read_document(data, name="dirty.txt")
    assert not CONTROLS.search(source.text)
    # Separators keep the words apart; the rest vanish without a trace.
    assert "Data shall not be shared" in source.text
    assert "after thirty (30) days." in source.text
    assert "Retention. License plate" in source.text


def test_evidence_offsets_point_into_the_cleaned_text() -> None:
    data = POLICY.encode("utf-8")
    text = read_document(data, name="dirty.txt").text
    card = audit(data, name="dirty.txt", rubric="core")
    assert card.facts.retention_days == 30
    quotes = [e for c in card.criteria for e in c.evidence]
    assert quotes
    for evidence in quotes:
        assert text[evidence.start : evidence.end] == evidence.text
        assert not CONTROLS.search(evidence.text)


@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_control_characters_go_in_every_text_format(kind: str) -> None:
    # (A NUL in the first 8 KB marks the file as binary; that refusal is tested elsewhere.)
    body = "Plate reads shall be purged\x01 after 30 days.\x08"
    # A few controls in a page of text; a page mostly of controls is refused as binary.
    filler = " ".join(FILLER.format(n=n).strip() for n in range(5))
    data = (
        f"<html><body><h1>ALPR policy</h1><p>{filler}</p><p>{body}</p></body></html>"
        if kind == "html" else f"# ALPR policy\n\n{filler}\n\n{body}\n"
    ).encode("utf-8")
    source = read_document(data, name=f"policy.{'html' if kind == 'html' else 'md'}")
    assert "Plate reads shall be purged after 30 days." in source.text
    assert not CONTROLS.search(source.text)
