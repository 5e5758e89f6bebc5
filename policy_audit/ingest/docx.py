"""DOCX → lines: headings as Markdown headings, list paragraphs as items, tables cell by cell."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from ..errors import CorruptDocumentError, TooLargeError
from .limits import Limits, megabytes

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

_MAX_RATIO = 200  # a deflated XML part rarely compresses better than ~20:1


def check_zip(data: bytes, name: str, limits: Limits) -> None:
    """Refuse zip bombs before any XML parser sees the contents."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptDocumentError(f"{name}: this DOCX is damaged ({exc})") from None
    if len(infos) > 5000:
        raise TooLargeError(f"{name}: this DOCX holds {len(infos)} parts; it is not a policy")
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped_bytes:
        raise TooLargeError(
            f"{name}: this DOCX unpacks to {megabytes(total)}; the limit is "
            f"{megabytes(limits.max_unzipped_bytes)}"
        )
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > _MAX_RATIO and (
            info.file_size > 10 * 1024 * 1024
        ):
            raise TooLargeError(f"{name}: {info.filename} is a compression bomb; refused")


def read_docx_lines(data: bytes, name: str, limits: Limits) -> list[str]:
    check_zip(data, name, limits)
    import docx  # python-docx: imported only when a DOCX arrives

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise CorruptDocumentError(
            f"{name}: this DOCX cannot be read ({type(exc).__name__}); re-save it from Word"
        ) from None
    root = document.element
    if not str(root.tag).endswith("}document"):
        raise CorruptDocumentError(
            f"{name}: this DOCX is damaged: its main part is not a document "
            f"(<{root.tag.rsplit('}', 1)[-1]}>); re-save it from Word"
        )
    if root.body is None:
        raise CorruptDocumentError(
            f"{name}: this DOCX is damaged: its document has no body (no text at all); "
            "re-save it from Word"
        )
    try:
        return _lines_of(document)
    except (AttributeError, KeyError, LookupError, TypeError, ValueError,
            RecursionError) as exc:
        # python-docx follows the package's relationships as they are: a styles part that
        # is really the document, a numbering part that loops, an attribute out of range.
        raise CorruptDocumentError(
            f"{name}: this DOCX is damaged ({type(exc).__name__} in its structure: a part "
            "is missing or points at the wrong thing); re-save it from Word"
        ) from None


def _lines_of(document: DocxDocument) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(_paragraph_line(block))
        elif isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    lines.extend(p.text for p in cell.paragraphs)
                lines.append("")
        lines.append("")
    return lines


def _paragraph_line(paragraph: Paragraph) -> str:
    text = paragraph.text
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if not text.strip():
        return ""
    if style.startswith("Heading") or style == "Title":
        level = style.removeprefix("Heading").strip()
        hashes = "#" * (int(level) if level.isdigit() and 1 <= int(level) <= 6 else 1)
        return f"{hashes} {text}"
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if (style.startswith("List") or numbered) and not text.lstrip().startswith(("•", "(")):
        return f"• {text}"
    return text
