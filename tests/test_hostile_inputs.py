"""Hostile inputs that once held a core for a minute or more now end on their own.

Each input of issue 10 (built in code by ``tests/hostile_inputs.py``) is read and scored
in a child process *without* the worker pool's deadline, so only the engine's own speed
and limits can end it: the child must answer with a scorecard or a one-line error. The
time bound is the default audit deadline, a hang guard only; speed is measured by
``benchmarks/bench_stages.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policy_audit.ingest import Limits
from policy_audit.worker import DEFAULT_DEADLINE

from .hostile_inputs import HOSTILE

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child: audit in-process (no worker, no deadline) and report what came back.
CHILD = """
import json, sys
from policy_audit import audit
from policy_audit.errors import PolicyAuditError
from tests.hostile_inputs import HOSTILE
name, data = HOSTILE[sys.argv[1]]()
try:
    card = audit(data, name=name, rubric="comprehensive")
except PolicyAuditError as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
else:
    evidence = [q.text for c in card.criteria for q in c.evidence]
    print(json.dumps({"grade": card.overall.grade, "characters": card.document.characters,
                      "evidence": evidence}))
"""


def run_hostile(key: str) -> dict[str, object]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, key], cwd=ROOT, capture_output=True, text=True,
            timeout=DEFAULT_DEADLINE, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{key}: still running after the default deadline "
                    f"({DEFAULT_DEADLINE} s) without a worker to kill it")
    assert done.returncode == 0, f"{key}: the child failed:\n{done.stderr[-2000:]}"
    return json.loads(done.stdout)


def assert_one_line_error(result: dict[str, object], kind: str, words: str) -> None:
    assert result.get("error") == kind, result
    message = str(result["message"])
    assert "\n" not in message and words in message, message


def test_markdown_like_text_is_scored() -> None:
    result = run_hostile("markdown-like 62 KB")
    assert result.get("grade"), result
    # The policy's words are read through the unclosed markup: retention evidence is quoted.
    assert any("purged after 30 days" in quote for quote in result["evidence"]), result


def test_markdown_with_open_link_brackets_is_scored() -> None:
    result = run_hostile("open link brackets 90 KB")
    assert result.get("grade"), result
    assert any("purged after 30 days" in quote for quote in result["evidence"]), result


def test_a_text_of_durations_is_scored() -> None:
    result = run_hostile("durations 570 KB")
    assert result.get("grade"), result
    assert int(result["characters"]) > 500_000  # all of it was read, not cut


def test_a_single_line_of_3000000_characters_is_refused() -> None:
    """Past the character limit, and past the line limit: refused, saying which."""
    assert_one_line_error(run_hostile("single line 3,000,000 characters"), "TooLargeError",
                          f"the limit is {Limits().max_characters:,}")


def test_a_single_line_of_1000000_characters_is_refused() -> None:
    """Inside the character limit, past the line limit."""
    assert_one_line_error(run_hostile("single line 1,000,000 characters"), "TooLargeError",
                          f"the limit is {Limits().max_line_characters:,}")


def test_html_nested_200000_deep_is_scored_with_its_text() -> None:
    result = run_hostile("HTML 200,000 deep")
    assert result.get("grade"), result
    assert any("purged after 30 days" in quote for quote in result["evidence"]), result


def test_a_pdf_inflating_to_a_gigabyte_is_refused() -> None:
    assert_one_line_error(run_hostile("PDF inflating to 1 GB"), "TooLargeError", "inflates to")


def test_pdf_streams_past_the_total_are_refused() -> None:
    """Each stream under the one-stream limit, together past the all-streams limit."""
    assert_one_line_error(run_hostile("PDF streams inflating to 300 MB together"),
                          "TooLargeError", "streams inflate to more than 256.0 MB")


def test_a_docx_inflating_to_a_gigabyte_is_refused() -> None:
    assert_one_line_error(run_hostile("DOCX inflating to 1 GB"), "TooLargeError",
                          "unpacks to 1024.0 MB; the limit is 100.0 MB")


def test_a_docx_understating_its_part_is_refused_as_damaged() -> None:
    # The declared sizes pass every limit; the part is proved against them piece by piece.
    assert_one_line_error(run_hostile("DOCX understating a 1 GB part"),
                          "CorruptDocumentError", "Bad CRC-32 for file 'word/document.xml'")


def test_a_docx_of_many_parts_past_the_total_is_refused() -> None:
    assert_one_line_error(run_hostile("DOCX of 200 parts, 120 MB"), "TooLargeError",
                          "unpacks to 117.2 MB; the limit is 100.0 MB")


def test_a_docx_nested_deeper_than_word_writes_is_refused() -> None:
    assert_one_line_error(run_hostile("DOCX nested 100,000 deep"), "CorruptDocumentError",
                          "nested more than 256 levels deep")


def test_a_docx_with_too_much_xml_is_refused_before_parsing() -> None:
    assert_one_line_error(run_hostile("DOCX with 33 MB of XML"), "TooLargeError",
                          "word/document.xml is 33.0 MB of XML; the limit is 32.0 MB")


def test_a_docx_of_a_million_empty_paragraphs_is_refused() -> None:
    assert_one_line_error(run_hostile("DOCX of 1,300,000 paragraphs in 31 MB"),
                          "TooLargeError", "1,301,001 paragraphs and tables; the limit is 100,000")


def test_every_hostile_input_has_a_test() -> None:
    tested = {"markdown-like 62 KB", "open link brackets 90 KB", "durations 570 KB",
              "single line 3,000,000 characters", "single line 1,000,000 characters",
              "HTML 200,000 deep", "PDF inflating to 1 GB",
              "PDF streams inflating to 300 MB together", "DOCX inflating to 1 GB",
              "DOCX understating a 1 GB part", "DOCX of 200 parts, 120 MB",
              "DOCX nested 100,000 deep", "DOCX with 33 MB of XML",
              "DOCX of 1,300,000 paragraphs in 31 MB"}
    assert set(HOSTILE) == tested


def test_a_line_just_under_the_limit_is_read() -> None:
    """The line limit refuses only what is past it: the same sentences on one line, shorter
    than the limit, are scored (a policy that lost its line breaks is still a policy)."""
    from policy_audit import audit

    from .hostile_inputs import single_line

    name, data = single_line(20_000)
    card = audit(data, name=name, rubric="core", limits=Limits(max_line_characters=20_000))
    assert card.criterion("retention").evidence
