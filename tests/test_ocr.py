"""OCR of scanned PDFs: pages without a text layer are rendered and read by Tesseract.

The scans are made here: a page of our own text is drawn with reportlab, rendered to a
picture with PDFium, and the picture alone is put in a new PDF (no text layer). These tests
skip when Tesseract is not installed, unless ``POLICY_AUDIT_REQUIRE_OCR=1`` (CI sets it),
where a missing Tesseract fails them.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policy_audit.errors import ScannedDocumentError
from policy_audit.ingest import Limits, read_document

reportlab = pytest.importorskip("reportlab")
pdfium = pytest.importorskip("pypdfium2")
from reportlab.lib.pagesizes import letter  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

HAVE_TESSERACT = shutil.which("tesseract") is not None
if not HAVE_TESSERACT and os.environ.get("POLICY_AUDIT_REQUIRE_OCR") == "1":
    pytest.fail(
        "POLICY_AUDIT_REQUIRE_OCR=1 but tesseract is not installed "
        "(apt-get install tesseract-ocr tesseract-ocr-eng)",
        pytrace=False,
    )
needs_tesseract = pytest.mark.skipif(not HAVE_TESSERACT, reason="tesseract is not installed")

SCANNED_PAGES = [
    [
        "Policy 88: Plate Reader Cameras",
        "88.3 Keeping Scans",
        "Reads that match no alert are erased",
        "fourteen days after capture.",
    ],
    [
        "88.4 Outside Agencies",
        "Requests from outside agencies need",
        "a case number and the chief's approval.",
    ],
]


def _text_pdf(pages: list[list[str]], size: int = 16) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    for lines in pages:
        pdf.setFont("Helvetica", size)
        y = 700
        for line in lines:
            pdf.drawString(72, y, line)
            y -= size * 1.6
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf(pages: list[list[str]], *, text_pages: list[list[str]] | None = None) -> bytes:
    """An image-only PDF of ``pages`` (each rendered at 200 dpi), after ``text_pages``
    (ordinary text pages) when given."""
    rendered = pdfium.PdfDocument(_text_pdf(pages))
    buffer = io.BytesIO()
    out = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    for lines in text_pages or []:
        y = 700
        for line in lines:
            out.drawString(72, y, line)
            y -= 16
        out.showPage()
    try:
        for index in range(len(rendered)):
            image = rendered[index].render(scale=200 / 72, grayscale=True).to_pil()
            width, height = letter
            out.drawImage(ImageReader(image), 0, 0, width=width, height=height)
            out.showPage()
    finally:
        rendered.close()
    out.save()
    return buffer.getvalue()


def test_scanned_pdf_has_no_text_layer() -> None:
    document = pdfium.PdfDocument(scanned_pdf(SCANNED_PAGES))
    try:
        assert all(not document[i].get_textpage().get_text_range().strip()
                   for i in range(len(document)))
    finally:
        document.close()


@needs_tesseract
def test_ocr_reads_a_scanned_pdf_page_by_page() -> None:
    calls: list[tuple[int, int]] = []
    source = read_document(scanned_pdf(SCANNED_PAGES), name="scan.pdf",
                           progress=lambda step, total: calls.append((step, total)))
    assert calls == [(1, 2), (2, 2)]
    text = source.text
    assert "erased" in text and "fourteen days after capture" in text
    assert "case number" in text
    assert source.quality.ocr_pages == 2
    assert source.quality.ocr_confidence is not None and source.quality.ocr_confidence > 70
    assert source.page_at(text.index("fourteen")) == 1
    assert source.page_at(text.index("case number")) == 2
    assert source.quality.pages_without_text == 0
    note = source.quality.notes[0]
    assert note.startswith("The text of 2 pages came from OCR (mean confidence ")
    assert note.endswith("%): check quotes against the original")


@needs_tesseract
def test_only_pages_without_text_are_ocr_read() -> None:
    data = scanned_pdf(SCANNED_PAGES[1:], text_pages=[[
        "88.1 Purpose: this policy governs the plate reader cameras of the department."
    ]])
    calls: list[tuple[int, int]] = []
    source = read_document(data, name="mixed.pdf", progress=lambda s, t: calls.append((s, t)))
    assert calls == [(1, 1)]
    assert source.quality.ocr_pages == 1
    assert "governs the plate reader cameras" in source.text
    assert "case number" in source.text
    assert any("text of 1 page came from OCR" in note for note in source.quality.notes)


@needs_tesseract
def test_ocr_warning_reaches_the_scorecard() -> None:
    from policy_audit.pipeline import audit

    card = audit(scanned_pdf(SCANNED_PAGES), name="scan.pdf")
    assert any("came from OCR (mean confidence" in w and "check quotes against the original"
               in w for w in card.warnings)


@needs_tesseract
def test_ocr_time_limit_per_page() -> None:
    with pytest.raises(Exception, match="OCR took longer than") as caught:
        read_document(scanned_pdf(SCANNED_PAGES), name="slow.pdf",
                      limits=Limits(ocr_page_seconds=0.001))
    from policy_audit.errors import TooLargeError

    assert isinstance(caught.value, TooLargeError)


def test_without_tesseract_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POLICY_AUDIT_TESSERACT", "/nonexistent/tesseract")
    with pytest.raises(ScannedDocumentError,
                       match=r"apt-get install tesseract-ocr tesseract-ocr-eng"):
        read_document(scanned_pdf(SCANNED_PAGES), name="scan.pdf")


def test_ocr_can_be_turned_off() -> None:
    with pytest.raises(ScannedDocumentError, match="OCR is turned off"):
        read_document(scanned_pdf(SCANNED_PAGES), name="scan.pdf", limits=Limits(ocr=False))


def test_without_tesseract_text_pages_are_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_AUDIT_TESSERACT", "/nonexistent/tesseract")
    data = scanned_pdf(SCANNED_PAGES[1:], text_pages=[[
        "88.1 Purpose: this policy governs the plate reader cameras of the department."
    ]])
    source = read_document(data, name="mixed.pdf")
    assert "governs the plate reader cameras" in source.text
    assert source.quality.pages_without_text == 1 and source.quality.ocr_pages == 0
    assert any("tesseract-ocr" in note for note in source.quality.notes)


def test_tesseract_runs_with_one_openmp_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_audit.ingest.ocr import ocr_environment

    monkeypatch.setenv("OMP_THREAD_LIMIT", "8")
    assert ocr_environment()["OMP_THREAD_LIMIT"] == "1"


@needs_tesseract
def test_cli_reports_ocr_progress(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(SCANNED_PAGES[:1]))
    done = subprocess.run(
        [sys.executable, "-m", "policy_audit", "score", str(path), "--progress",
         "--format", "json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "OCR page 1/1…" in done.stderr
    assert "came from OCR" in done.stdout
