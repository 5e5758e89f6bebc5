"""DOCX → lines: headings as Markdown headings, list paragraphs as items, tables cell by cell."""

from __future__ import annotations

import io
import re
import time
import zipfile
import zlib
from typing import TYPE_CHECKING

from ..errors import CorruptDocumentError, TooLargeError
from .limits import Limits, megabytes

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

_MAX_RATIO = 200  # a deflated XML part rarely compresses better than ~20:1
_XML = (".xml", ".rels")  # the parts python-docx parses (media are only read as bytes)
# Word never nests elements this deep; libxml2 refuses deeper documents itself, and says
# so only as "Excessive depth in document".
_MAX_DEPTH = 256
# Paragraphs and tables in the body. python-docx reads about 50,000 a second, and empty
# ones cost nothing to send: past this many, reading would outlast the time limit.
_MAX_BLOCKS = 100_000
# Elements in all XML parts together (start tags, counted before parsing). Word writes a
# few per word of text at worst; a million take about 450 MB parsed and 13 s to read.
_MAX_ELEMENTS = 1_000_000
_PIECE = 64 * 1024
# A paragraph's start tag, whatever its namespace prefix ("<w:p>", "<w:p w:rsidR=…>",
# "<w:p/>"; not "<w:pPr>"). A prefix is at most 20 characters here: _TAG_SPAN covers it.
_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?p[\s/>]")
_TAG_SPAN = 32


def check_zip(data: bytes, name: str, limits: Limits) -> None:
    """Refuse zip bombs before any XML parser sees the contents.

    The sizes a zip declares are checked first (all parts together, each XML part, the
    compression ratio), then proved: every part is inflated here in 64 KB pieces that are
    counted and thrown away. A part whose header understates its size would otherwise be
    inflated whole by ``zipfile`` (it decompresses all it has, then cuts to the declared
    size): a 200 KB part claiming 4 KB took 400 MB of memory before failing its checksum.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_declared(infos, name, limits)
            counts = [_prove_size(archive, info) for info in infos]
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError,
            ValueError, RuntimeError) as exc:  # damaged headers, offsets, encrypted parts
        raise CorruptDocumentError(
            f"{name}: this DOCX is damaged ({exc}); re-save it from Word"
        ) from None
    paragraphs, elements = sum(c[0] for c in counts), sum(c[1] for c in counts)
    if paragraphs > _MAX_BLOCKS:
        raise TooLargeError(_too_many(name, paragraphs))
    if elements > _MAX_ELEMENTS:
        raise TooLargeError(
            f"{name}: this DOCX's XML holds {elements:,} elements; the limit is "
            f"{_MAX_ELEMENTS:,} (a long policy has a few hundred thousand). Save it as PDF, "
            "or split it"
        )


def _too_many(name: str, count: int) -> str:
    return (f"{name}: this DOCX has {count:,} paragraphs and tables; the limit is "
            f"{_MAX_BLOCKS:,} (a long policy has a few thousand). Save it as PDF, or split it")


def _check_declared(infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
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
        if info.filename.lower().endswith(_XML) and info.file_size > limits.max_docx_xml_bytes:
            # The XML is parsed whole, at about 16 bytes of memory per byte: 100 MB of it
            # would take 1.5 GB, past the worker's memory cap, before a word is read.
            raise TooLargeError(
                f"{name}: its part {info.filename} is {megabytes(info.file_size)} of XML; "
                f"the limit is {megabytes(limits.max_docx_xml_bytes)} (a long policy needs "
                "a few MB). Save it as PDF, or split it"
            )


def _prove_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Inflate one part in pieces: ``zipfile`` stops at the declared size and checks the
    CRC there, so a part that lies about its size fails here, having cost 64 KB. Returns
    the paragraphs and the elements an XML part opens, counted on the way, so that a
    million empty ones are refused before they are parsed into half a gigabyte of tree."""
    xml = info.filename.lower().endswith(_XML)
    paragraphs = elements = 0
    carry = b""
    with archive.open(info) as part:
        while piece := part.read(_PIECE):
            if not xml:
                continue
            window = carry + piece
            settled = len(window) - _TAG_SPAN  # a tag starting before this is wholly inside
            paragraphs += sum(1 for m in _PARAGRAPH_TAG.finditer(window)
                              if m.start() < settled)
            elements += window.count(b"<", 0, max(0, settled)) - window.count(
                b"</", 0, max(0, settled))
            carry = window[max(0, settled):]
    tail = carry.count(b"<") - carry.count(b"</")
    return paragraphs + len(_PARAGRAPH_TAG.findall(carry)), elements + tail


def read_docx_lines(data: bytes, name: str, limits: Limits) -> list[str]:
    check_zip(data, name, limits)
    import docx  # python-docx: imported only when a DOCX arrives

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        if "depth" in str(exc).lower():
            raise CorruptDocumentError(
                f"{name}: this DOCX's XML is nested more than {_MAX_DEPTH} levels deep, "
                "which Word never writes; re-save it from Word"
            ) from None
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
    blocks = len(root.body)  # counted in C, before a Python object is made for each
    if blocks > _MAX_BLOCKS:  # tables, or paragraphs the count in check_zip did not see
        raise TooLargeError(_too_many(name, blocks))
    try:
        return _lines_of(document, name, limits)
    except (AttributeError, KeyError, LookupError, TypeError, ValueError,
            RecursionError) as exc:
        # python-docx follows the package's relationships as they are: a styles part that
        # is really the document, a numbering part that loops, an attribute out of range.
        raise CorruptDocumentError(
            f"{name}: this DOCX is damaged ({type(exc).__name__} in its structure: a part "
            "is missing or points at the wrong thing); re-save it from Word"
        ) from None


def _lines_of(document: DocxDocument, name: str, limits: Limits) -> list[str]:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    # Style names by id, read once: python-docx looks the style up again for every
    # paragraph (an XPath over all styles), 70% of the time on a long document.
    styles = document.styles
    names = {style.style_id: style.name or "" for style in styles
             if style.type == WD_STYLE_TYPE.PARAGRAPH}
    default = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = (default.name or "") if default is not None else ""
    deadline = time.monotonic() + limits.max_seconds
    lines: list[str] = []
    characters = 0
    for count, block in enumerate(document.iter_inner_content()):
        if isinstance(block, Paragraph):
            line = _paragraph_line(block, names.get(block._p.style or "", default_name))
            lines.append(line)
            characters += len(line)
        elif isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    texts = [p.text for p in cell.paragraphs]
                    lines.extend(texts)
                    characters += sum(map(len, texts))
                lines.append("")
        lines.append("")
        if characters > limits.max_characters:
            raise TooLargeError(
                f"{name}: more than {limits.max_characters:,} characters of text; "
                "this is too long for one policy"
            )
        if time.monotonic() > deadline:
            raise TooLargeError(
                f"{name}: reading this DOCX took longer than {limits.max_seconds:g} s "
                f"(stopped after {count:,} paragraphs and tables); it may be malformed"
            )
    return lines


def _paragraph_line(paragraph: Paragraph, style: str) -> str:
    text = paragraph.text
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
