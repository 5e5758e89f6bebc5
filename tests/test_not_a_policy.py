"""A document that never mentions license plate readers is refused, not graded F."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy_audit import audit
from policy_audit.cli import main
from policy_audit.errors import NotAPolicyError
from policy_audit.ingest import read_document
from policy_audit.relevance import is_about_alpr

ROOT = Path(__file__).parents[1]
NOT_POLICIES = sorted((ROOT / "tests" / "cases" / "not_policies").iterdir())
SAMPLES = sorted(p for p in (ROOT / "sample_policies").iterdir()
                 if p.is_file() and p.suffix in {".txt", ".md", ".pdf", ".docx", ".html"}
                 and p.name != "README.md")


@pytest.mark.parametrize("path", NOT_POLICIES, ids=lambda p: p.name)
def test_documents_about_something_else_are_refused(path: Path) -> None:
    with pytest.raises(NotAPolicyError) as refused:
        audit(path)
    message = str(refused.value)
    assert path.name in message and "license plate readers" in message
    assert "--force" in message and refused.value.exit_code == 2
    assert refused.value.http_status == 422


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_policy_is_about_alpr(path: Path) -> None:
    assert is_about_alpr(read_document(path).text)


@pytest.mark.parametrize(
    "sentence",
    [
        "Automated License Plate Recognition (ALPR) data shall be purged after 30 days.",
        "LPR data is kept for one year.",
        "Plate reads that are not hits are deleted after 14 days.",
        "The hot list is updated daily from the NCIC file.",
        "Officers shall not use the plate readers for personal reasons.",
        "License-plate scans are retained 21 days.",
        "License plate data shall be purged after 30 days.",
    ],
)
def test_one_mention_of_the_technology_is_enough(sentence: str) -> None:
    assert is_about_alpr(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Applicants shall give the license plate number of each vehicle.",
        "Vehicles shall display a valid license plate.",
        "We collect your IP address and the pages you visit.",
        "Helper tools live at https://example.org/help/lpr-x and alprazolam is a drug.",
    ],
)
def test_plates_without_a_reader_are_not_enough(sentence: str) -> None:
    assert not is_about_alpr(sentence)


def test_cli_refuses_with_exit_2_and_force_scores_with_a_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    recipe = str(ROOT / "tests" / "cases" / "not_policies" / "lemon-cake.txt")
    assert main(["score", recipe, "--timeout", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not look like an ALPR policy" in err
    assert main(["score", recipe, "--timeout", "0", "--force", "-f", "json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert "never mentions license plate readers" in card["warnings"][0]
