"""PDF → pages of lines, with PDFium (fast, keeps reading order, marks soft hyphens)."""

from __future__ import annotations

import time

import pypdfium2 as pdfium

from ..errors import (
    CorruptDocumentError,
    EncryptedDocumentError,
    ScannedDocumentError,
    TooLargeError,
)
from .limits import Limits

# A page with fewer characters than this has no real text layer (a scan, or a blank page).
_MIN_PAGE_CHARS = 20


def read_pdf_pages(data: bytes, name: str, limits: Limits) -> tuple[list[list[str]], int]:
    """Lines of each page, and how many pages had no text layer."""
    try:
        pdf = pdfium.PdfDocument(data)
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
    try:
        count = len(pdf)
        if count == 0:
            raise CorruptDocumentError(f"{name}: this PDF has no pages")
        if count > limits.max_pages:
            raise TooLargeError(
                f"{name}: this PDF has {count} pages; the limit is {limits.max_pages}. "
                "Split it, or raise the page limit"
            )
        deadline = time.monotonic() + limits.max_seconds
        pages: list[list[str]] = []
        empty = 0
        characters = 0
        for index in range(count):
            text = _page_text(pdf, index)
            if len(text.strip()) < _MIN_PAGE_CHARS:
                empty += 1
            characters += len(text)
            if characters > limits.max_characters:
                raise TooLargeError(
                    f"{name}: more than {limits.max_characters:,} characters of text; "
                    "this is too long for one policy"
                )
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            if time.monotonic() > deadline:
                raise TooLargeError(
                    f"{name}: reading this PDF took longer than {limits.max_seconds:g} s "
                    f"(stopped at page {index + 1} of {count}); it may be malformed"
                )
    finally:
        pdf.close()
    if empty == count:
        raise ScannedDocumentError(
            f"{name}: this PDF has no text layer on any of its {count} page(s): it looks "
            "scanned. OCR is not supported yet; run it through OCR (e.g. ocrmypdf) first"
        )
    return pages, empty


def _page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
