"""How much of a hostile or huge upload the ingest stage will take on."""

from __future__ import annotations

from pydantic import BaseModel, Field

MB = 1024 * 1024


class Limits(BaseModel):
    """Ceilings on one document. Each one, when hit, raises ``TooLargeError`` saying which."""

    max_bytes: int = Field(default=20 * MB, gt=0, description="Size of the file as uploaded.")
    max_pages: int = Field(default=300, gt=0, description="Pages in a PDF.")
    max_seconds: float = Field(default=20.0, gt=0, description="Time spent extracting text.")
    max_unzipped_bytes: int = Field(
        default=100 * MB, gt=0, description="Uncompressed size of a DOCX (zip bomb guard)."
    )
    # 32 MB of XML (a 300-page policy needs a few MB) parses to about 500 MB in lxml; a
    # part denser than that compresses past the 200:1 bomb ratio and is refused anyway.
    max_docx_xml_bytes: int = Field(
        default=32 * MB, gt=0,
        description="Uncompressed size of one XML part of a DOCX (parsed whole into memory).",
    )
    # 1,000,000 (the server's default too): the costliest text measured, every sentence a
    # retention and sharing rule, takes 6 s of CPU at this length; at 3,000,000 it took
    # 19 s and 430 MB, too close to the 60 s deadline on a busy machine. 300 PDF pages of
    # text are about 700,000 characters.
    max_characters: int = Field(default=1_000_000, gt=0, description="Extracted text length.")
    max_line_characters: int = Field(
        default=200_000, gt=0,
        description="One line (paragraph) of the extracted text: no policy has a paragraph "
        "of 30,000 words; a text that long on one line lost its line breaks or is no policy.",
    )
    max_stream_bytes: int = Field(
        default=64 * MB, gt=0, description="Inflated size of one PDF stream (a page's content)."
    )
    max_inflated_bytes: int = Field(
        default=256 * MB, gt=0, description="Inflated size of all of a PDF's streams together."
    )
    ocr: bool = Field(
        default=True, description="Read PDF pages without a text layer with Tesseract OCR."
    )
    ocr_page_seconds: float = Field(default=60.0, gt=0, description="OCR time for one page.")
    ocr_seconds: float = Field(default=300.0, gt=0, description="OCR time for the document.")
    max_ocr_pixels: int = Field(
        default=25_000_000, gt=0,
        description="Pixels of one page rendered for OCR (300 dpi, scaled down past this).",
    )
    max_image_pixels: int = Field(
        default=100_000_000, gt=0, description="Pixels of one image on a page read by OCR."
    )


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"
