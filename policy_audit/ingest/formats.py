"""One extractor per document format, registered by the name ``sniff`` gives the format.

An extractor turns a document's bytes into pages of lines (one page for formats without
pages); ``read_document`` assembles them into text with a page map. A new format is one
decorated function here and its sniffing rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import register_extractor
from .decode import decode_text
from .docx import read_docx_lines
from .html import read_html_lines
from .limits import Limits
from .markdown import markdown_lines
from .ocr import Progress
from .pdf import PdfText, read_pdf_pages
from .sniff import looks_like_markdown


@dataclass(frozen=True)
class Extracted:
    pages: list[list[str]]
    paged: bool  # the pages are real pages (a page map is kept)
    kind: str  # the format read, after content checks (plain text may turn out Markdown)
    pdf: PdfText | None = None


@register_extractor("pdf")
def extract_pdf(data: bytes, name: str, limits: Limits, progress: Progress | None) -> Extracted:
    pdf = read_pdf_pages(data, name, limits, progress)
    return Extracted(pdf.pages, paged=True, kind="pdf", pdf=pdf)


@register_extractor("docx")
def extract_docx(data: bytes, name: str, limits: Limits, progress: Progress | None) -> Extracted:
    return Extracted([read_docx_lines(data, name, limits)], paged=False, kind="docx")


@register_extractor("html")
def extract_html(data: bytes, name: str, limits: Limits, progress: Progress | None) -> Extracted:
    return Extracted([read_html_lines(decode_text(data, name))], paged=False, kind="html")


@register_extractor("markdown")
def extract_markdown(
    data: bytes, name: str, limits: Limits, progress: Progress | None
) -> Extracted:
    return Extracted([markdown_lines(decode_text(data, name))], paged=False, kind="markdown")


@register_extractor("text")
def extract_text(data: bytes, name: str, limits: Limits, progress: Progress | None) -> Extracted:
    decoded = decode_text(data, name)
    if looks_like_markdown(decoded):  # a .txt written in Markdown keeps its lists and tables
        return Extracted([markdown_lines(decoded)], paged=False, kind="markdown")
    return Extracted([decoded.splitlines()], paged=False, kind="text")
