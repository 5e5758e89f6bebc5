"""The grade comes with where the score stands among real policies."""

from __future__ import annotations

from policy_audit.pipeline import audit_text
from policy_audit.reference import Reference, percentile
from policy_audit.report import render
from tests.conftest import source_of

STRONG = ("ALPR data not tied to a hit shall be purged 21 days after collection. ALPR data "
          "shall be shared only with law enforcement agencies with a need to know, on a "
          "written request, and shall never be sold or given to private parties. It shall not "
          "be used or shared for immigration enforcement. The Department shall post this "
          "policy and an annual public report with the number of plates read and searches.")


def test_the_overall_carries_the_percentile_among_the_reference_set() -> None:
    card = audit_text(source_of(STRONG), "comprehensive")
    peers = Reference.shipped().scores("comprehensive")
    assert card.overall.peers == len(peers) > 20
    assert card.overall.percentile == percentile(card.overall.score, "comprehensive")
    weak = audit_text(source_of("ALPR cameras are used by patrol. " * 3), "comprehensive")
    assert weak.overall.percentile is not None and card.overall.percentile is not None
    assert weak.overall.percentile < card.overall.percentile


def test_the_brief_shows_it_next_to_the_grade_in_every_format() -> None:
    card = audit_text(source_of(STRONG), "comprehensive")
    pct = f"{card.overall.percentile:.0f}%"
    for fmt in ("text", "markdown", "html"):
        assert f"Scores higher than {pct} of {card.overall.peers} real ALPR policies" in render(
            card, fmt), fmt


def test_a_rubric_without_reference_scores_shows_no_percentile(tmp_path) -> None:
    from tests.test_rubric import write_rubric

    card = audit_text(source_of(STRONG), write_rubric(tmp_path / "custom"))
    assert card.overall.percentile is None and card.overall.peers == 0
    assert "real ALPR policies" not in render(card, "text")
