"""Build the Millbrook sample PDF and DOCX from one plain-text source.

    python scripts/make_sample_binaries.py           # (re)write the two files
    python scripts/make_sample_binaries.py OUT_DIR   # write them into OUT_DIR instead
    python scripts/make_sample_binaries.py --check   # exit 1 if the committed files are stale

Source: ``sample_policies/src/millbrook-so-policy.txt``. Markup, one block per line group:

- ``# Title`` (DOCX Heading 1), ``## 430.1 HEADING`` (DOCX Heading 2);
- ``- item`` (a bulleted list item; DOCX "List Bullet");
- any other run of lines is one paragraph; a blank line ends it;
- ``enforce{-}ment`` marks a forced hyphenated line break in the PDF (removed in the DOCX),
  so that ingest's dehyphenation is exercised.

The PDF has three or more pages, a running header ("Millbrook County Sheriff's Office
Policy Manual") and a "Page N of M" footer on every page, so that ingest's header/footer
removal is exercised too. Both outputs are deterministic: reportlab runs with
``invariant=1`` and the DOCX package is rewritten with fixed timestamps, so rerunning the
script gives identical bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_policies"
SOURCE = SAMPLES / "src" / "millbrook-so-policy.txt"
PDF_OUT = SAMPLES / "millbrook-so-policy.pdf"
DOCX_OUT = SAMPLES / "millbrook-so-policy.docx"

RUNNING_HEADER = "Millbrook County Sheriff's Office Policy Manual"
HYPHEN_MARK = "{-}"
FIXED_TIME = dt.datetime(2024, 2, 1, 9, 0, 0, tzinfo=dt.UTC)
ZIP_TIME = (2024, 2, 1, 9, 0, 0)


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "title" | "heading" | "para" | "item"
    text: str


def parse_source(text: str) -> list[Block]:
    """Split the marked-up source into title, heading, paragraph and list-item blocks."""
    blocks: list[Block] = []
    para: list[str] = []

    def end_paragraph() -> None:
        if para:
            blocks.append(Block("para", " ".join(para)))
            para.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            end_paragraph()
        elif line.startswith("## "):
            end_paragraph()
            blocks.append(Block("heading", line[3:].strip()))
        elif line.startswith("# "):
            end_paragraph()
            blocks.append(Block("title", line[2:].strip()))
        elif line.startswith("- "):
            end_paragraph()
            blocks.append(Block("item", line[2:].strip()))
        else:
            para.append(line)
    end_paragraph()
    return blocks


def plain(text: str) -> str:
    """The text without hyphenation marks (what a reader should see)."""
    return text.replace(HYPHEN_MARK, "")


# ------------------------------------------------------------------------------ PDF


@dataclass(frozen=True, slots=True)
class DrawnLine:
    text: str
    font: str
    size: float
    x: float
    gap_before: float  # extra space above the line, in points


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word holding HYPHEN_MARK is always broken there with a hyphen."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        if HYPHEN_MARK in word:
            left, right = word.split(HYPHEN_MARK, 1)
            candidate = f"{current} {left}-".strip()
            if current and stringWidth(candidate, font, size) > width:
                lines.append(current)
                candidate = f"{left}-"
            lines.append(candidate)
            current = right
            continue
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _layout(blocks: list[Block], width: float) -> list[DrawnLine]:
    body, bold = "Times-Roman", "Times-Bold"
    size = 12.0
    out: list[DrawnLine] = []
    for block in blocks:
        if block.kind == "title":
            out.extend(DrawnLine(t, bold, 14, 0, 4) for t in _wrap(block.text, bold, 14, width))
        elif block.kind == "heading":
            for i, t in enumerate(_wrap(block.text, bold, size, width)):
                out.append(DrawnLine(t, bold, size, 0, 10 if i == 0 else 0))
        elif block.kind == "item":
            for i, t in enumerate(_wrap(block.text, body, size, width - 18)):
                out.append(
                    DrawnLine(
                        ("•  " if i == 0 else "") + t,
                        body,
                        size,
                        6 if i == 0 else 18.5,
                        2 if i == 0 else 0,
                    )
                )
        else:
            for i, t in enumerate(_wrap(block.text, body, size, width)):
                out.append(DrawnLine(t, body, size, 0, 5 if i == 0 else 0))
    return out


def build_pdf(blocks: list[Block]) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.units import inch
    from reportlab.pdfgen import canvas

    page_w, page_h = letter
    left, right = 1.1 * inch, page_w - 1.1 * inch
    top, bottom = page_h - 1.2 * inch, 1.1 * inch
    leading = 16.5
    lines = _layout(blocks, right - left)

    # Paginate first, so every footer can say "of M".
    pages: list[list[tuple[DrawnLine, float]]] = [[]]
    y = top
    for line in lines:
        gap = line.gap_before if pages[-1] else 0
        if y - gap - leading < bottom:
            pages.append([])
            y, gap = top, 0
        y -= gap + leading
        pages[-1].append((line, y))

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1, pageCompression=1)
    pdf.setTitle("Policy 430: Automated License Plate Readers")
    pdf.setAuthor("Millbrook County Sheriff's Office")
    pdf.setSubject("Sample ALPR policy for policy-audit (fictional agency)")
    pdf.setCreator("policy-audit scripts/make_sample_binaries.py")
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        pdf.setFont("Helvetica-Oblique", 9)
        pdf.drawString(left, page_h - 0.6 * inch, RUNNING_HEADER)
        pdf.drawRightString(right, page_h - 0.6 * inch, "Policy 430")
        pdf.setLineWidth(0.5)
        pdf.line(left, page_h - 0.67 * inch, right, page_h - 0.67 * inch)
        for line, y in page:
            pdf.setFont(line.font, line.size)
            pdf.drawString(left + line.x, y, line.text)
        pdf.setFont("Helvetica", 9)
        pdf.drawCentredString(page_w / 2, 0.6 * inch, f"Page {number} of {total}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# ------------------------------------------------------------------------------ DOCX


def build_docx(blocks: list[Block]) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    props = document.core_properties
    props.title = "Policy 430: Automated License Plate Readers"
    props.author = "Millbrook County Sheriff's Office"
    props.last_modified_by = "Millbrook County Sheriff's Office"
    props.comments = "Sample ALPR policy for policy-audit (fictional agency)"
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    document.styles["Normal"].font.size = Pt(11)
    header = document.sections[0].header.paragraphs[0]
    header.text = RUNNING_HEADER

    for block in blocks:
        text = plain(block.text)
        if block.kind == "title":
            document.add_heading(text, level=1)
        elif block.kind == "heading":
            document.add_heading(text, level=2)
        elif block.kind == "item":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)

    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip package with fixed timestamps so the bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# ------------------------------------------------------------------------------ main


def build_all(source: Path = SOURCE, out_dir: Path = SAMPLES) -> dict[Path, bytes]:
    """The PDF and DOCX bytes built from ``source``, keyed by their path in ``out_dir``."""
    blocks = parse_source(source.read_text(encoding="utf-8"))
    return {
        out_dir / PDF_OUT.name: build_pdf(blocks),
        out_dir / DOCX_OUT.name: build_docx(blocks),
    }


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=SAMPLES,
        help="directory to write the PDF and DOCX into (default: sample_policies)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if a file in OUT_DIR differs from a fresh build",
    )
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir
    if not args.check:
        out_dir.mkdir(parents=True, exist_ok=True)
    stale = []
    for path, data in build_all(out_dir=out_dir).items():
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path)
        else:
            path.write_bytes(data)
            print(f"wrote {_shown(path)} ({len(data):,} bytes)")
    if stale:
        for path in stale:
            print(f"stale: {_shown(path)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
