"""OCR for PDF pages without a text layer: PDFium renders the page, Tesseract reads it.

Tesseract is a separate program (Debian: ``apt-get install tesseract-ocr tesseract-ocr-eng``)
run once per page with ``OMP_THREAD_LIMIT=1``: its OpenMP threads make a page about ten
times slower on a shared machine, not faster. Each run has a time limit, and the image is
rendered at about 300 dpi but never larger than ``Limits.max_ocr_pixels``, so a page that
claims to be a hundred inches wide cannot take all the memory.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from ..errors import ScannedDocumentError, TooLargeError
from .limits import Limits

# Called before each page is read by OCR: (this page's place among the pages to OCR, how
# many pages need OCR). The CLI prints "OCR page 2/4…"; a web page can show a bar.
Progress = Callable[[int, int], None]


def print_progress(step: int, total: int) -> None:
    """A progress hook for terminals: one stderr line per scanned page before OCR reads it."""
    print(f"OCR page {step}/{total}…", file=sys.stderr, flush=True)

INSTALL_HINT = (
    "install Tesseract (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-eng; "
    "macOS: brew install tesseract) and try again"
)
_DPI = 300
_LANGUAGE = "eng"


@dataclass(slots=True)
class OcrPage:
    lines: list[str]
    confidence_sum: float  # sum of the word confidences (0-100) Tesseract reported
    words: int


def tesseract_command() -> str | None:
    """The Tesseract program to run (``POLICY_AUDIT_TESSERACT`` overrides), if installed."""
    return shutil.which(os.environ.get("POLICY_AUDIT_TESSERACT") or "tesseract")


def ocr_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # always: OpenMP threads make Tesseract ~10x slower here
    return env


def render_page(page: pdfium.PdfPage, limits: Limits) -> pdfium.PdfBitmap:
    """The page as a greyscale bitmap at about 300 dpi, within ``max_ocr_pixels``."""
    width, height = page.get_size()  # points (1/72 inch)
    if not (width > 0 and height > 0):
        raise ValueError("the page has no size")
    scale = _DPI / 72
    pixels = width * height * scale * scale
    if pixels > limits.max_ocr_pixels:
        scale *= (limits.max_ocr_pixels / pixels) ** 0.5
    return page.render(scale=scale, grayscale=True, may_draw_forms=False)


def ocr_bitmap(bitmap: pdfium.PdfBitmap, command: str, timeout: float, where: str) -> OcrPage:
    """Run Tesseract on one rendered page. ``where`` names the page in error messages."""
    image = bitmap.to_pil()
    with tempfile.TemporaryDirectory(prefix="policy-audit-ocr-") as folder:
        picture = Path(folder) / "page.pgm"
        image.save(picture)  # PGM: uncompressed, so writing it costs no time
        del image
        try:
            done = subprocess.run(
                [command, str(picture), str(Path(folder) / "out"), "-l", _LANGUAGE,
                 "txt", "tsv"],
                env=ocr_environment(),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TooLargeError(
                f"{where}: OCR took longer than {timeout:.0f} s; the scan may be too large "
                "or too noisy. Raise the OCR time limit, or find a version with a text layer"
            ) from None
        except OSError as exc:
            raise ScannedDocumentError(
                f"{where}: Tesseract (OCR) could not be run ({exc.strerror or exc}); "
                + INSTALL_HINT
            ) from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            if any(_LANGUAGE in line and "load" in line.lower() for line in detail):
                raise ScannedDocumentError(
                    f"{where}: Tesseract has no English language data; " + INSTALL_HINT
                )
            raise ScannedDocumentError(
                f"{where}: Tesseract (OCR) failed ({detail[-1] if detail else done.returncode})"
                "; check that it runs (tesseract --version) or " + INSTALL_HINT
            )
        text = (Path(folder) / "out.txt").read_text(encoding="utf-8", errors="replace")
        table = (Path(folder) / "out.tsv").read_text(encoding="utf-8", errors="replace")
    total, words = _confidences(table)
    lines = text.replace("\f", "").replace("\r\n", "\n").split("\n")
    return OcrPage(lines=lines, confidence_sum=total, words=words)


def _confidences(table: str) -> tuple[float, int]:
    """Sum and count of the word confidences in Tesseract's TSV output."""
    total, words = 0.0, 0
    for row in csv.DictReader(io.StringIO(table), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        try:
            confidence = float(row.get("conf") or -1)
        except ValueError:
            continue
        if confidence >= 0:
            total += confidence
            words += 1
    return total, words


def needs_ocr(page: pdfium.PdfPage) -> bool:
    """Whether an empty page draws anything OCR could read (an image, a form, or text
    converted to outlines); a truly blank page is skipped instead of being rendered."""
    try:
        return any(True for _ in page.get_objects(max_depth=1))
    except pdfium.PdfiumError:
        return True
