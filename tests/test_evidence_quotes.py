"""Evidence built from a label line and the value on the next line is quoted verbatim.

Portal pages put a label ("Days data is kept") on one line and its value on the next. The
quote must be the document's own text from the label to the value, line break included,
so that ``text[start:end] == evidence.text`` holds for every format.
"""

from __future__ import annotations

import pytest

from policy_audit import audit
from policy_audit.ingest import read_document

PORTAL_TEXT = """Northgate Police Department Camera Portal

Data retention (in days)

21 days

Searches in the last 30 days

1,204

Agencies we share with

Eastbrook Police Department, Pine County Sheriff's Office, Lake Shore Transit Police
"""

PORTAL_HTML = """<html><body><main><h2>Camera data</h2><dl>
<dt>Data retention (in days)</dt><dd>21 days</dd>
<dt>Searches in the last 30 days</dt><dd>1,204</dd>
<dt>Agencies we share with</dt>
<dd><ul><li>Eastbrook Police Department</li><li>Pine County Sheriff's Office</li></ul></dd>
</dl></main></body></html>"""


@pytest.mark.parametrize(
    ("data", "name"),
    [(PORTAL_TEXT, "portal.txt"), (PORTAL_HTML, "portal.html")],
    ids=["text", "html"],
)
def test_label_value_evidence_is_verbatim(data: str, name: str) -> None:
    card = audit(data.encode("utf-8"), name=name, force=True)  # evidence, not topic, is tested
    text = read_document(data.encode("utf-8"), name=name).text
    rules = set()
    for criterion in ("retention", "sharing", "reporting"):
        result = card.criterion(criterion)
        assert result.evidence, criterion
        for evidence in result.evidence:
            assert text[evidence.start : evidence.end] == evidence.text, evidence
            rules.add(evidence.rule)
    assert card.facts.retention_days == 21
    assert rules == {"retention.limit", "sharing.grant_list", "reporting.public_figures"}
    # The quotes really are the two-line label/value readings, line break and all.
    quotes = [e.text for c in ("retention", "sharing", "reporting")
              for e in card.criterion(c).evidence]  # fmt: skip
    assert all("\n" in quote for quote in quotes), quotes


def test_report_and_its_figures_sentence_are_quoted_together() -> None:
    """A public report whose figures are named in the next sentence is quoted from the
    report sentence through the figures sentence, verbatim (line break included)."""
    text = (
        "Every spring the Bureau shall publish an annual reader report on its website.\n"
        "The report shall list the number of scans and the number of searches.\n"
        "This policy shall be posted on the Bureau's website.\n"
    )
    card = audit(text.encode("utf-8"), name="policy.txt", force=True)
    source = read_document(text.encode("utf-8"), name="policy.txt").text
    result = card.criterion("reporting")
    assert result.level.value == "strong", result.explanation
    figures = [e for e in result.evidence if e.text.startswith("Every spring")]
    assert figures and figures[0].text.endswith("the number of searches.")
    for evidence in result.evidence:
        assert source[evidence.start : evidence.end] == evidence.text
