"""Hostile inputs that once held a core for a minute or more, built in code (those of
issue 10, and the DOCX and all-streams PDF shapes measured for issue 11).

Each generator returns ``(name, bytes)``: the file name decides how it is read, as an
upload's would. The shapes are those reported in issue 10; the sizes are the reported
ones unless ``scale`` says otherwise (the benchmark doubles them to check that time grows
linearly). Nothing here is read from outside the repository.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator

from tests.docx_builder import (
    DOCUMENT_END,
    DOCUMENT_START,
    build_docx,
    paragraph,
    understate_size,
)
from tests.pdf_builder import build_pdf

# A sentence of the kind a policy is made of, so the engine has something to read.
CLAUSE = (
    "ALPR data that is not associated with a hit shall be purged after 30 days and "
    "may be shared only with other law enforcement agencies upon written request. "
)


def markdown_like(scale: float = 1.0) -> tuple[str, bytes]:
    """62 KB of text full of Markdown's inline markup that never closes: emphasis openers
    (``*``, ``_``, backticks), half-open links and lists, inside long wrapped lines."""
    size = int(62_000 * scale)
    pieces = [
        "# ALPR policy\n\n",
        "- item one\n- item two\n- item three\n\n",
    ]
    unit = "*a **b `c _d [e](f " + CLAUSE.replace(".", "") + " "
    body = (unit * (size // len(unit) + 1))[:size]
    pieces.append(body)
    return "markdown-like.txt", "".join(pieces).encode()


def open_link_brackets(scale: float = 1.0) -> tuple[str, bytes]:
    """90 KB of Markdown whose lines are full of ``[`` that never close: every ``[``
    used to scan to the end of its line looking for ``](``."""
    size = int(90_000 * scale)
    line = "[" * 400 + " see [the policy]( " + "[x" * 200 + "\n"
    body = "# Retention\n\n" + CLAUSE + "\n\n" + line * (size // len(line) + 1)
    return "open-links.md", body[:size].encode()


def durations(scale: float = 1.0) -> tuple[str, bytes]:
    """570 KB of durations: numbers and time units, with and without punctuation, in
    retention sentences, the material the retention readers look at most closely."""
    size = int(570_000 * scale)
    unit = (
        "ALPR data shall be retained for 30 days 60 days, 90 days or 1 year 2 years and "
        "6 months 12 hours 45 minutes thirty (30) days ninety-nine days 1,000 days 3 weeks "
    )
    paragraph = unit * 20 + "\n\n"
    body = "Retention\n\n" + (paragraph * (size // len(paragraph) + 1))[:size]
    return "durations.txt", body.encode()


def single_line(characters: int = 3_000_000) -> tuple[str, bytes]:
    """One line of policy sentences with no line break at all (3,000,000 characters is
    inside the default character limit; the API's limit is 1,000,000)."""
    body = (CLAUSE * (characters // len(CLAUSE) + 1))[:characters]
    return "one-line.txt", body.encode()


def deep_html(depth: int = 200_000) -> tuple[str, bytes]:
    """HTML nested ``depth`` elements deep, with policy text at the bottom."""
    body = "<html><body>" + "<div>" * depth + CLAUSE + "</div>" * depth + "</body></html>"
    return "deep.html", body.encode()


def inflating_pdf(inflated: int = 1024 * 1024 * 1024) -> tuple[str, bytes]:
    """A one-page PDF of about 1 MB whose content stream inflates to ``inflated`` bytes
    (1 GB by default: Flate compresses runs of spaces about 1,000 to 1)."""
    text = b"BT /F1 12 Tf 72 720 Td (" + CLAUSE.encode() + b") Tj ET\n"
    compressor = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(text)]
    for _ in range(inflated // len(chunk)):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    content = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return "inflating.pdf", build_pdf(objects)


def pdf_streams_past_the_total(streams: int = 5, each: int = 60 * 1024 * 1024,
                                ) -> tuple[str, bytes]:
    """A PDF of ``streams`` pages, each content stream inflating to ``each`` bytes: under
    the one-stream limit (64 MB), past the all-streams limit (256 MB) together."""
    compressed = _spaces_deflated(each, prefix=b"BT /F1 12 Tf 72 720 Td (" + CLAUSE.encode()
                                  + b") Tj ET\n")
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(streams)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, streams)]
    font = 3 + 2 * streams
    for i in range(streams):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed)
                       + compressed + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return "streams-past-total.pdf", build_pdf(objects)


def _spaces_deflated(size: int, prefix: bytes = b"") -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(prefix)]
    parts += [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, compressor.flush()])


def _document_with_blanks(inflated: int) -> Iterator[bytes]:
    """word/document.xml: one policy paragraph, then ``inflated`` bytes of blanks (which
    XML allows between elements) deflating about 1,000 to 1."""
    yield DOCUMENT_START + paragraph(CLAUSE)
    chunk = b" " * (1024 * 1024)
    for _ in range(inflated // len(chunk)):
        yield chunk
    yield DOCUMENT_END


def docx_bomb(inflated: int = 1024 * 1024 * 1024) -> tuple[str, bytes]:
    """A DOCX of about 1 MB whose document.xml inflates to ``inflated`` bytes (1 GB)."""
    return "bomb.docx", build_docx(_document_with_blanks(inflated))


def docx_understated_bomb(inflated: int = 1024 * 1024 * 1024) -> tuple[str, bytes]:
    """The same bomb, with a zip index claiming document.xml is 4 KB: the declared sizes
    pass every check, and ``zipfile`` alone would inflate all of it before the CRC fails."""
    package = build_docx(_document_with_blanks(inflated), zip64=False)
    return "understated.docx", understate_size(package, "word/document.xml", 4096)


def docx_many_parts(parts: int = 200, each: int = 600 * 1024) -> tuple[str, bytes]:
    """A DOCX of 200 parts of 600 KB each (120 MB together, each far below the ratio and
    XML checks): past the all-parts limit (100 MB)."""
    blank = b" " * each
    return "many-parts.docx", build_docx(
        [DOCUMENT_START, paragraph(CLAUSE), DOCUMENT_END],
        [(f"word/media/part{i}.bin", [blank]) for i in range(parts)],
    )


def docx_deep(depth: int = 100_000) -> tuple[str, bytes]:
    """A DOCX whose body nests ``depth`` content controls around one paragraph."""
    return "deep.docx", build_docx([
        DOCUMENT_START, b"<w:sdt><w:sdtContent>" * depth, paragraph(CLAUSE),
        b"</w:sdtContent></w:sdt>" * depth, DOCUMENT_END,
    ])


def docx_paragraphs(size: int = 31 * 1024 * 1024) -> tuple[str, bytes]:
    """A DOCX whose document.xml is ``size`` bytes of empty paragraphs, each with a random
    revision id so that it deflates only about 5 to 1 (under the bomb ratio): 1,300,000
    paragraphs in 31 MB, under the XML limit (32 MB)."""
    rng = random.Random(10)

    def chunks() -> Iterator[bytes]:
        yield DOCUMENT_START + paragraph(CLAUSE)
        written = 0
        while written < size:
            block = b"".join(b'<w:p w:rsidR="%08X"/>' % rng.getrandbits(32) for _ in range(1000))
            written += len(block)
            yield block
        yield DOCUMENT_END

    return "paragraphs.docx", build_docx(chunks())


# name → generator of the reported size (the tests and the benchmark use the same list).
HOSTILE: dict[str, Callable[[], tuple[str, bytes]]] = {
    "markdown-like 62 KB": markdown_like,
    "open link brackets 90 KB": open_link_brackets,
    "durations 570 KB": durations,
    "single line 3,000,000 characters": single_line,
    "single line 1,000,000 characters": lambda: single_line(1_000_000),
    "HTML 200,000 deep": deep_html,
    "PDF inflating to 1 GB": inflating_pdf,
    "PDF streams inflating to 300 MB together": pdf_streams_past_the_total,
    "DOCX inflating to 1 GB": docx_bomb,
    "DOCX understating a 1 GB part": docx_understated_bomb,
    "DOCX of 200 parts, 120 MB": docx_many_parts,
    "DOCX nested 100,000 deep": docx_deep,
    "DOCX with 33 MB of XML": lambda: docx_paragraphs(33 * 1024 * 1024),
    "DOCX of 1,300,000 paragraphs in 31 MB": docx_paragraphs,
}
