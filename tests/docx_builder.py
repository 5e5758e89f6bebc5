"""A DOCX package written part by part, streamed, for tests that need exactly the
structure they describe: bombs, parts that lie about their size, odd XML."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/octet-stream"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT_START = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
    "<w:body>"
).encode()
DOCUMENT_END = b"</w:body></w:document>"


def paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def build_docx(
    document: Iterable[bytes], parts: Iterable[tuple[str, Iterable[bytes]]] = (),
    *, zip64: bool = True,
) -> bytes:
    """A package whose word/document.xml is the chunks of ``document`` (between
    DOCUMENT_START and DOCUMENT_END, which the caller writes), plus ``parts``; each part is
    deflated as it is written, so a gigabyte of XML never sits in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        for name, chunks in [("word/document.xml", document), *parts]:
            with archive.open(name, "w", force_zip64=zip64) as part:
                for chunk in chunks:
                    part.write(chunk)
    return buffer.getvalue()


def understate_size(package: bytes, name: str, claimed: int) -> bytes:
    """``package`` with the uncompressed size of part ``name`` rewritten to ``claimed``,
    in its local header and in the central directory (a package built with zip64=False)."""
    data = bytearray(package)
    encoded = name.encode()
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        local = archive.getinfo(name).header_offset
    data[local + 22 : local + 26] = struct.pack("<I", claimed)
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + length] == encoded:
            data[at + 24 : at + 28] = struct.pack("<I", claimed)
            return bytes(data)
        at += 4
    raise ValueError(f"{name} is not in the central directory")
