"""Bytes → str for text-like files, refusing binary junk instead of scoring mojibake."""

from __future__ import annotations

import codecs
import re

from ..errors import UnsupportedFormatError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Control characters other than line breaks, tabs and form feeds: binary data shows many.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_text(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise UnsupportedFormatError(
            f"{name}: this is binary data, not a PDF, DOCX, HTML, Markdown or text file"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows exports of policies are usually cp1252 (curly quotes, section signs).
        text = data.decode("cp1252", errors="replace")
    sample = text[:20000]
    controls = len(_CONTROL_CHARACTER.findall(sample))
    replaced = sample.count("\ufffd")
    if sample and (controls + replaced) / len(sample) > 0.02:
        raise UnsupportedFormatError(
            f"{name}: this does not look like text (it is mostly binary); "
            "upload the policy as PDF, DOCX, HTML, Markdown or plain text"
        )
    return text
