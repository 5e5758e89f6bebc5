"""PDF → pages of lines, with PDFium (fast, keeps reading order, marks soft hyphens).

Before PDFium decodes anything, ``pdfguard.check_streams`` refuses decompression bombs.
A page PDFium cannot load is skipped and reported (the rest of the document is still
read); a page without a text layer is read by OCR when Tesseract is installed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from ..errors import (
    CorruptDocumentError,
    EncryptedDocumentError,
    ScannedDocumentError,
    TooLargeError,
)
from . import ocr
from .limits import Limits
from .pdfguard import check_streams

# A page with fewer characters than this has no real text layer (a scan, or a blank page).
_MIN_PAGE_CHARS = 20


@dataclass(slots=True)
class PdfText:
    """The lines of each page, and what could not be read as text."""

    pages: list[list[str]]
    without_text: int = 0  # pages left without text (no text layer, and no OCR of them)
    damaged: list[int] = field(default_factory=list)  # 1-based numbers of unloadable pages
    ocr_pages: int = 0
    ocr_words: int = 0
    ocr_confidence_sum: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def ocr_confidence(self) -> float | None:
        """Mean word confidence of the OCR'd text, 0-100."""
        return self.ocr_confidence_sum / self.ocr_words if self.ocr_words else None


def read_pdf_pages(
    data: bytes, name: str, limits: Limits, progress: ocr.Progress | None = None
) -> PdfText:
    census = check_streams(data, name, limits)
    pdf = _open(data, name)
    try:
        count = len(pdf)
        if count == 0:
            raise CorruptDocumentError(
                f"{name}: this PDF has no pages (it is damaged); download it again or "
                "re-save it from the original"
            )
        if count > limits.max_pages:
            raise TooLargeError(
                f"{name}: this PDF has {count} pages; the limit is {limits.max_pages}. "
                "Split it, or raise the page limit"
            )
        result = PdfText(pages=[])
        deadline = time.monotonic() + limits.max_seconds
        candidates: list[int] = []  # pages without text that draw an image: OCR them
        characters = 0
        for index in range(count):
            text, drawn = _page_text(pdf, index)
            if text is None:
                result.damaged.append(index + 1)
                text = ""
            elif len(text.strip()) < _MIN_PAGE_CHARS:
                if drawn:
                    candidates.append(index)
                else:
                    result.without_text += 1
            characters += len(text)
            if characters > limits.max_characters:
                raise TooLargeError(
                    f"{name}: more than {limits.max_characters:,} characters of text; "
                    "this is too long for one policy"
                )
            result.pages.append(_lines(text))
            if time.monotonic() > deadline:
                raise TooLargeError(
                    f"{name}: reading this PDF took longer than {limits.max_seconds:g} s "
                    f"(stopped at page {index + 1} of {count}); it may be malformed"
                )
        if len(result.damaged) == count:
            raise CorruptDocumentError(
                f"{name}: none of this PDF's {count} page(s) can be loaded (the file is "
                "damaged); download it again or re-save it from the original"
            )
        if candidates:
            _read_scanned(pdf, name, candidates, result, census.largest_image_pixels,
                          limits, progress)
    finally:
        pdf.close()
    if not any(line.strip() for page in result.pages for line in page):
        raise ScannedDocumentError(
            f"{name}: this PDF has no text layer, and OCR found no words on its {count} "
            "page(s): it may be a picture or a blank scan. Find a version with text"
        )
    if result.damaged:
        shown = ", ".join(map(str, result.damaged[:10])) + ("…" if len(result.damaged) > 10
                                                          else "")
        result.notes.append(
            f"{len(result.damaged)} of {count} page(s) are damaged and were not read "
            f"(page {shown}); clauses on them are not scored"
        )
    return result


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise EncryptedDocumentError(
                f"{name}: this PDF is password-protected; remove the password (or print it "
                "to a new PDF) and try again"
            ) from None
        raise CorruptDocumentError(
            f"{name}: this PDF is damaged and cannot be read ({exc}); download it again or "
            "re-save it from the original"
        ) from None


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _page_text(pdf: pdfium.PdfDocument, index: int) -> tuple[str | None, bool]:
    """The page's text (None when PDFium cannot load it), and whether it draws an image."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None, False
    try:
        try:
            textpage = page.get_textpage()
        except pdfium.PdfiumError:
            return None, False
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        drawn = len(text.strip()) < _MIN_PAGE_CHARS and ocr.needs_ocr(page)
        return text, drawn
    finally:
        page.close()


def _read_scanned(
    pdf: pdfium.PdfDocument,
    name: str,
    candidates: list[int],
    result: PdfText,
    largest_image: int,
    limits: Limits,
    progress: ocr.Progress | None,
) -> None:
    """OCR the pages in ``candidates``, or say why they cannot be read."""
    count = len(result.pages)
    command = ocr.tesseract_command() if limits.ocr else None
    if command is None:
        why = (
            "OCR is turned off" if not limits.ocr
            else "reading scanned pages needs the OCR program Tesseract, which is not "
            "installed: " + ocr.INSTALL_HINT
        )
        if len(candidates) + len(result.damaged) + result.without_text == count:
            raise ScannedDocumentError(
                f"{name}: this PDF has no text layer on any of its {count} page(s): it looks "
                f"scanned; {why}"
            )
        result.without_text += len(candidates)
        result.notes.append(
            f"{len(candidates)} of {count} page(s) had no text layer (scanned?) and were not "
            f"read ({why}); clauses on them are not scored"
        )
        return
    if largest_image > limits.max_image_pixels:
        raise TooLargeError(
            f"{name}: an image in this PDF has {largest_image:,} pixels; the limit for OCR "
            f"is {limits.max_image_pixels:,}. Find a version with a text layer"
        )
    deadline = time.monotonic() + limits.ocr_seconds
    for step, index in enumerate(candidates, start=1):
        if progress is not None:
            progress(step, len(candidates))
        left = deadline - time.monotonic()
        if left <= 0:
            raise TooLargeError(
                f"{name}: OCR of this PDF took longer than {limits.ocr_seconds:g} s (read "
                f"{step - 1} of {len(candidates)} scanned pages); find a version with a text "
                "layer, or raise the OCR time limit"
            )
        where = f"{name}, page {index + 1}"
        try:
            page = pdf[index]
            try:
                bitmap = ocr.render_page(page, limits)
            finally:
                page.close()
        except (pdfium.PdfiumError, ValueError):
            result.damaged.append(index + 1)
            continue
        try:
            read = ocr.ocr_bitmap(bitmap, command, min(left, limits.ocr_page_seconds), where)
        finally:
            bitmap.close()
        result.pages[index] = read.lines
        result.ocr_pages += 1
        result.ocr_words += read.words
        result.ocr_confidence_sum += read.confidence_sum
        if sum(len(line.strip()) for line in read.lines) < _MIN_PAGE_CHARS:
            result.without_text += 1
    if result.ocr_pages:
        pages = "1 page" if result.ocr_pages == 1 else f"{result.ocr_pages} pages"
        confidence = result.ocr_confidence
        shown = f"{confidence:.0f}%" if confidence is not None else "unknown"
        result.notes.append(
            f"The text of {pages} came from OCR (mean confidence {shown}): check quotes "
            "against the original"
        )
