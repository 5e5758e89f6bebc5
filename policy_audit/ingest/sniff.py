"""Tell a document's format from its bytes first and its name second.

A file called ``policy.pdf`` that is really a Word document is read as a Word document; a
file whose bytes match nothing readable gets an error saying what it looks like instead.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from typing import Literal

from ..errors import CorruptDocumentError, UnsupportedFormatError

Format = Literal["pdf", "docx", "html", "markdown", "text"]

MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
    "markdown": "text/markdown",
    "text": "text/plain",
}

_IMAGE_HINT = ": images are not read (OCR reads scanned PDFs only); find the PDF or text version"

# Formats we recognise but cannot read, with what the user should do instead.
_OTHER_BINARIES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) or Office file: save it as DOCX or PDF"),
    (b"\x89PNG", "a PNG image" + _IMAGE_HINT),
    (b"\xff\xd8\xff", "a JPEG image" + _IMAGE_HINT),
    (b"GIF8", "a GIF image: find the PDF or text version of the policy"),
    (b"II*\x00", "a TIFF image" + _IMAGE_HINT),
    (b"MM\x00*", "a TIFF image" + _IMAGE_HINT),
    (b"{\\rtf", "an RTF file: save it as DOCX, PDF or plain text"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"Rar!", "a RAR archive: unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive: unpack it first"),
)

_HTML_START = re.compile(
    rb"^\s*+(?:<!--(?>.*?-->)\s*+)*+<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
# Possessive: a line is scanned once ("|" … "|": the last character is checked behind).
# Each sign starts a line: the pattern starts with the line break before it (the text gets
# one in front), so the search skips from line break to line break at C speed instead of
# trying the pattern at every character (as "^" made it).
_MARKDOWN_SIGNS = re.compile(r"\n(?:#{1,6} \S|\s*+[-*] \S.*+|\|.++(?<=\|))$", re.M)


def suffix_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(data: bytes, name: str) -> Format:
    """The format to read ``data`` as. Raises for formats we cannot read."""
    suffix = suffix_of(name)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    for magic, what in _OTHER_BINARIES:
        if data.startswith(magic):
            raise UnsupportedFormatError(f"{name}: this is {what}")
    if suffix == "pdf":
        raise CorruptDocumentError(
            f"{name}: named .pdf but it is not a PDF (no %PDF header); the file is damaged "
            "or mis-named: download it again or export it as PDF"
        )
    if suffix == "docx":
        raise CorruptDocumentError(
            f"{name}: named .docx but it is not a Word document (not a ZIP package); "
            "the file is damaged or mis-named"
        )
    head = data[:4096]
    if suffix in {"html", "htm", "xhtml"} or _HTML_START.match(head):
        return "html"
    if suffix in {"md", "markdown"}:
        return "markdown"
    return "text"


def _zip_kind(data: bytes, name: str) -> Format:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptDocumentError(
            f"{name}: looks like a ZIP/DOCX package but cannot be opened ({exc}); "
            "the file is damaged: save it again from Word"
        ) from None
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith(("xl/", "ppt/")) for n in names):
        raise UnsupportedFormatError(
            f"{name}: this is an Excel or PowerPoint file: save the policy as DOCX or PDF"
        )
    raise UnsupportedFormatError(f"{name}: this is a ZIP archive, not a policy: unpack it first")


def looks_like_markdown(text: str) -> bool:
    signs = _MARKDOWN_SIGNS.finditer("\n" + text[:20000])
    return len(list(itertools.islice(signs, 3))) == 3  # three are enough
