"""Hostile inputs that once held a core for a minute or more, built in code.

Each generator returns ``(name, bytes)``: the file name decides how it is read, as an
upload's would. The shapes are those reported in issue 10; the sizes are the reported
ones unless ``scale`` says otherwise (the benchmark doubles them to check that time grows
linearly). Nothing here is read from outside the repository.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

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


# name → generator of the reported size (the tests and the benchmark use the same list).
HOSTILE: dict[str, Callable[[], tuple[str, bytes]]] = {
    "markdown-like 62 KB": markdown_like,
    "open link brackets 90 KB": open_link_brackets,
    "durations 570 KB": durations,
    "single line 3,000,000 characters": single_line,
    "single line 1,000,000 characters": lambda: single_line(1_000_000),
    "HTML 200,000 deep": deep_html,
    "PDF inflating to 1 GB": inflating_pdf,
}
