"""The registry is a leaf: loading and validating a rubric never loads spaCy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from policy_audit.registry import RegistryError, register_scorer, scorer_names, scorers


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


def test_loading_every_shipped_rubric_does_not_import_spacy() -> None:
    loaded = _modules_after("from policy_audit.rubric import list_rubrics\nlist_rubrics()")
    assert "spacy" not in loaded
    assert "policy_audit.detect" not in loaded, "scoring must consume findings only"


def test_the_builtin_scorers_are_registered_by_name() -> None:
    assert scorer_names() == ["elements", "immigration", "reporting", "retention", "sharing"]
    assert all(callable(scorer) for scorer in scorers().values())


def test_a_second_scorer_cannot_take_a_registered_name() -> None:
    with pytest.raises(RegistryError, match="scorer 'retention' is registered twice"):
        register_scorer("retention")(lambda findings: None)


def test_the_core_detectors_and_every_format_are_registered_by_name() -> None:
    from policy_audit.registry import detectors, extractors

    assert set(detectors()) == {"retention", "sharing", "immigration", "reporting"}
    triggers, reader = detectors()["retention"]
    assert "retention" in triggers and callable(reader)
    assert set(extractors()) == {"pdf", "docx", "html", "markdown", "text"}


def test_a_registered_extractor_reads_its_format() -> None:
    from policy_audit.ingest import read_document

    page = b"<html><body><dl><dt>Data retention</dt><dd>30 days</dd></dl></body></html>"
    source = read_document(page, name="portal.html")
    assert source.media_type == "text/html"
    assert "Data retention:" in source.text and "<dt>" not in source.text
