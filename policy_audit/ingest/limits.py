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
    max_characters: int = Field(default=3_000_000, gt=0, description="Extracted text length.")


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"
