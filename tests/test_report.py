"""Renderers: every format carries the evidence; nothing from the policy is ever markup."""

from __future__ import annotations

import json
import re

import pytest

from policy_audit.models import Scorecard
from policy_audit.pipeline import audit_text
from policy_audit.report import FORMATS, render
from tests.conftest import source_of

POLICY = """\
412.4 RETENTION
Plate reads that match no hot list shall be purged 20 days after collection.
Reads may be kept as long as the supervisor finds necessary.
412.5 SHARING
Data may be shared with any law enforcement agency | including <script>alert(1)</script> ones.
412.6 REPORTING
An annual report with the number of scans and hits shall be posted on the City website.
"""


@pytest.fixture(scope="module")
def card() -> Scorecard:
    return audit_text(source_of(POLICY, name="<b>bold</b> policy.txt"))


def test_json_is_the_contract_and_round_trips(card: Scorecard) -> None:
    data = json.loads(render(card, "json"))
    assert {"schema_version", "document", "rubric", "overall", "facts", "criteria",
            "warnings"} <= set(data)
    assert {"name", "sha256", "media_type", "pages", "characters"} <= set(data["document"])
    assert set(data["rubric"]) >= {"id", "version"} and {"score", "grade"} <= set(data["overall"])
    first = data["criteria"][0]
    assert {"id", "title", "level", "score", "evidence", "explanation", "recommendation",
            "conflicts"} <= set(first)
    assert {"text", "start", "end", "page", "section"} <= set(first["evidence"][0])
    assert Scorecard.model_validate(data) == card


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
def test_every_format_quotes_the_evidence_and_the_conflict(card: Scorecard, fmt: str) -> None:
    output = render(card, fmt)
    assert "purged 20 days after collection" in output
    assert "as long as the supervisor finds necessary" in output  # the weaker, deciding clause
    assert "Conflict" in output
    assert card.overall.grade in output
    for criterion in card.criteria:
        assert criterion.title in output or criterion.title[:30] in output


def test_html_escapes_policy_text_and_is_standalone(card: Scorecard) -> None:
    page = render(card, "html")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)  # no external assets
    assert "@media print" in page and 'name="viewport"' in page
    assert 'lang="en"' in page


def test_markdown_table_survives_a_pipe_in_policy_text(card: Scorecard) -> None:
    markdown = render(card, "markdown")
    assert r"agency \| including" in markdown
    assert r"\<script\>" in markdown
    # Every row of a table has as many cells as its header, whatever the policy says.
    tables: list[list[str]] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not tables or not tables[-1]:
                tables.append([])
            tables[-1].append(line)
        elif tables and tables[-1]:
            tables.append([])
    tables = [t for t in tables if t]
    assert len(tables) == 2  # the criteria, and "how this was scored"
    for table in tables:
        cells = {row.count("|") - row.count(r"\|") for row in table}
        assert len(cells) == 1, table


def test_text_fits_a_terminal(card: Scorecard) -> None:
    assert max(len(line) for line in render(card, "text").splitlines()) <= 100


def test_missing_criterion_says_not_found() -> None:
    card = audit_text(source_of("Plate reads shall be purged 20 days after collection."))
    assert card.criterion("immigration").level == "missing"
    assert "Not found in the policy" in render(card, "html")
    assert "Not found in the policy" in render(card, "markdown")
    assert "(not found)" in render(card, "text")


def test_unknown_format_is_refused(card: Scorecard) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(card, "pdf")
    assert set(FORMATS) == {"json", "markdown", "text", "html"}


def test_amendments_follow_the_policy_order_and_carry_model_language() -> None:
    from policy_audit.rubric import load_rubric

    text = (
        "1.1 SHARING\nALPR data shall never be sold to private companies.\n"
        "1.2 RETENTION\nData may be retained as long as it is operationally useful.\n"
    )
    card = audit_text(source_of(text))
    letter = render(card, "amendments")
    rubric = load_rubric("core")
    sharing_at = letter.index(rubric.criterion("sharing").title)
    retention_at = letter.index(rubric.criterion("retention").title)
    immigration_at = letter.index(rubric.criterion("immigration").title)
    assert sharing_at < retention_at < immigration_at  # policy order, then new sections
    assert "Add a new section:" in letter[immigration_at:]
    assert "§ 1.2 RETENTION" in letter
    assert "Strike the loophole" in letter
    first_line = rubric.criterion("retention").model_language.split()[:6]
    assert " ".join(first_line) in " ".join(letter.split())


def test_legal_findings_and_loopholes_appear_in_every_human_format() -> None:
    text = "Non-hit ALPR data shall be purged 30 days after collection, or as long as necessary."
    card = audit_text(source_of(text), jurisdiction="VA")
    for fmt in ("markdown", "text", "html"):
        output = render(card, fmt)
        assert "2.2-5517" in output and "Open-ended retention" in output
