"""The committed Millbrook PDF/DOCX are what scripts/make_sample_binaries.py builds, and they
carry the features the ingest repairs are meant to handle (header, footer, headings, list)."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_sample_binaries.py"
PDF = ROOT / "sample_policies" / "millbrook-so-policy.pdf"
DOCX = ROOT / "sample_policies" / "millbrook-so-policy.docx"
RUNNING_HEADER = "Millbrook County Sheriff's Office Policy Manual"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_binaries", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    pytest.importorskip("reportlab")
    pytest.importorskip("docx")
    return _load_script()


@pytest.fixture(scope="module")
def fresh(script: ModuleType) -> dict[Path, bytes]:
    return script.build_all()


def test_committed_pdf_has_header_and_footer_on_every_page() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(PDF.read_bytes())
    try:
        total = len(document)
        assert total > 1
        for index in range(total):
            textpage = document[index].get_textpage()
            raw = textpage.get_text_range()
            assert RUNNING_HEADER in raw, f"page {index + 1} lacks the running header"
            assert f"Page {index + 1} of {total}" in raw, f"page {index + 1} lacks its footer"
    finally:
        document.close()


def test_committed_pdf_breaks_a_word_at_a_line_end() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(PDF.read_bytes())
    try:
        raw = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    # PDFium reports a hyphen at a line end as U+FFFE (or keeps "-" and a line break).
    assert any(f"enforce{mark}" in raw for mark in ("\ufffe", "-\r\n", "-\n"))


def test_committed_docx_uses_heading_styles_and_a_list() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(DOCX.read_bytes()))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Policy 430: Automated License Plate Readers") in styles
    headings = [text for name, text in styles if name == "Heading 2"]
    assert "430.5 DATA RETENTION" in headings and len(headings) >= 8
    assert sum(name == "List Bullet" for name, _ in styles) >= 4
    assert all("{-}" not in text for _, text in styles)


def test_build_is_deterministic(script: ModuleType, fresh: dict[Path, bytes]) -> None:
    again = script.build_all()
    assert {p: len(b) for p, b in again.items()} == {p: len(b) for p, b in fresh.items()}
    assert again == fresh


def test_committed_files_match_a_fresh_build(fresh: dict[Path, bytes]) -> None:
    """Same bytes where the libraries match the ones that built them; else the same text."""
    pytest.importorskip("policy_audit.ingest")
    from policy_audit.ingest import read_document

    for path, data in fresh.items():
        committed = path.read_bytes()
        if committed == data:
            continue
        assert read_document(data, name=path.name).text == read_document(path).text, (
            f"{path.name} is stale: run python scripts/make_sample_binaries.py"
        )


def test_script_regenerates_the_same_text_in_an_output_dir(tmp_path: Path) -> None:
    """Run the script as a user would, into tmp_path; the text read back equals the committed."""
    pytest.importorskip("reportlab")
    pytest.importorskip("docx")
    pytest.importorskip("policy_audit.ingest")
    from policy_audit.ingest import read_document

    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for committed in (PDF, DOCX):
        fresh = tmp_path / committed.name
        assert fresh.is_file(), f"the script did not write {committed.name}"
        assert read_document(fresh).text == read_document(committed).text, (
            f"{committed.name} is stale: run python scripts/make_sample_binaries.py"
        )
    check = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stderr
