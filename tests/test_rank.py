"""Placing a policy among its peers, and the shipped reference set's figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import policy_audit
from policy_audit.cli import main
from policy_audit.models import Level, Scorecard
from policy_audit.pipeline import audit_text
from policy_audit.rank import rank, render
from policy_audit.reference import PeerFigures, Reference, distribution, percentile

from .conftest import source_of

KEEPS_A_YEAR = (
    "Policy 8 - License Plate Readers\n8.1 RETENTION\n"
    "ALPR data that is not evidence shall be purged one year after it was collected.\n"
)
KEEPS_30_DAYS = KEEPS_A_YEAR.replace("one year", "30 days")


def peers(*figures: tuple[int | None, Level, float]) -> Reference:
    return Reference(description="test peers", rubrics={"core": "1.0.0"}, policies=[
        PeerFigures(id=f"p{i}", agency=f"Agency {i}", retention_days=days,
                    levels={"retention": level}, overall={"core": score})
        for i, (days, level, score) in enumerate(figures)])


def card(text: str) -> Scorecard:
    return audit_text(source_of(text), "core")


def test_percentile_counts_peers_below_and_half_the_ties() -> None:
    ref = peers((30, Level.STRONG, 40.0), (30, Level.STRONG, 50.0), (30, Level.STRONG, 50.0),
                (30, Level.STRONG, 90.0))
    assert ref.percentile(10.0, "core") == 0
    assert ref.percentile(50.0, "core") == 50.0  # 1 below + 2 ties / 2, of 4
    assert ref.percentile(95.0, "core") == 100
    assert ref.percentile(50.0, "comprehensive") is None  # nobody scored with it


def test_a_year_of_retention_among_peers_that_keep_30_days() -> None:
    ref = peers((30, Level.STRONG, 80.0), (30, Level.STRONG, 80.0), (21, Level.STRONG, 85.0),
                (None, Level.WEAK, 20.0))
    ranking = rank(card(KEEPS_A_YEAR), ref)
    assert ranking.retention.days == 365
    assert (ranking.retention.shorter, ranking.retention.same, ranking.retention.longer) == (
        3, 0, 1)
    assert ranking.retention.median == 30
    place = next(p for p in ranking.criteria if p.id == "retention")
    assert place.level == "partial"
    assert (place.better_than, place.same_as, place.worse_than) == (1, 0, 3)
    text = render(ranking, "text")
    assert "3 shorter" in text and "median 30 days" in text
    better = rank(card(KEEPS_30_DAYS), ref)
    assert better.retention.shorter == 1 and better.retention.same == 2
    assert better.percentile > ranking.percentile


def test_html_has_one_chart_per_criterion_and_escapes_names() -> None:
    ref = peers((30, Level.STRONG, 80.0), (365, Level.PARTIAL, 50.0))
    source = source_of(KEEPS_A_YEAR, name="<b>draft</b>.txt")
    html = render(rank(audit_text(source, "core"), ref), "html")
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3  # score, days, 1 criterion
    assert "<b>draft" not in html and "&lt;b&gt;draft" in html
    assert 'role="img"' in html and "<title>" in html  # a text alternative for each chart
    assert "style=" not in html.split("</style>")[1]  # pages forbid inline styles (CSP)


def test_shipped_reference_set_is_figures_with_sources() -> None:
    ref = Reference.shipped()
    assert len(ref.policies) >= 40
    assert set(ref.rubrics) == {"core", "comprehensive"}
    for peer in ref.policies:
        assert peer.source and peer.source.startswith("https://")
        assert set(peer.overall) == {"core", "comprehensive"}
        assert {"retention", "sharing", "immigration", "reporting"} <= set(peer.levels)
    # Figures only: no field long enough to carry a sentence of a policy.
    raw = json.loads((Path(policy_audit.__file__).parent / "data" / "reference.json")
                     .read_text("utf-8"))
    longest = max(len(str(v)) for p in raw["policies"] for k, v in p.items()
                  if k not in ("levels", "overall", "source"))
    assert longest < 90
    assert sum(distribution("retention").values()) == len(ref.policies)
    low, high = min(ref.scores()), max(ref.scores())
    assert percentile(low - 1) == 0 and percentile(high + 1) == 100


def test_reference_imports_without_spacy() -> None:
    code = ("import sys, policy_audit.reference as r; r.percentile(50); "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_rank_command_against_a_folder(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "neighbours"
    folder.mkdir()
    for i in range(3):
        (folder / f"city-{i}.txt").write_text(KEEPS_30_DAYS, encoding="utf-8")
    (folder / "notes.bin").write_bytes(b"\x00\x01")  # not a policy: ignored
    draft = tmp_path / "draft.txt"
    draft.write_text(KEEPS_A_YEAR, encoding="utf-8")
    assert main(["rank", str(draft), "--against", str(folder), "-r", "core",
                 "--timeout", "0", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["peers"] == 3
    assert data["retention"]["shorter"] == 3 and data["percentile"] == 0
    assert main(["rank", str(draft), "--timeout", "0", "-r", "core"]) == 0  # shipped set
    assert "percentile" in capsys.readouterr().out
    assert main(["rank", str(draft), "--against", str(tmp_path / "none"),
                 "--timeout", "0"]) == 2
    assert "--against needs a folder" in capsys.readouterr().err
