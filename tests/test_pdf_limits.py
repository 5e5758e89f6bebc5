"""PDF streams are measured before PDFium decodes them, and a page PDFium cannot load is
skipped and reported instead of crashing the read."""

from __future__ import annotations

import base64
import zlib

import pytest

from policy_audit.errors import CorruptDocumentError, TooLargeError
from policy_audit.ingest import Limits, read_document
from policy_audit.ingest.pdfguard import check_streams
from tests.pdf_builder import build_pdf

MB = 1024 * 1024


def stream(data: bytes, filters: bytes = b"") -> bytes:
    extra = b" /Filter " + filters if filters else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page_pdf(content: bytes, filters: bytes = b"") -> bytes:
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content, filters),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


TEXT = b"BT /F1 12 Tf 72 720 Td (Reads that match no alert are erased after 21 days.) Tj ET\n"


def test_a_content_stream_bomb_is_refused_before_pdfium_reads_it() -> None:
    bomb = zlib.compress(TEXT + b" " * (8 * MB), 9)
    data = one_page_pdf(bomb, b"/FlateDecode")
    assert len(data) < 40_000
    with pytest.raises(TooLargeError, match=r"inflates to more than 4\.0 MB"):
        read_document(data, name="bomb.pdf", limits=Limits(max_stream_bytes=4 * MB))
    # Under the limit, the same file is read.
    source = read_document(data, name="bomb.pdf", limits=Limits(max_stream_bytes=16 * MB))
    assert "erased after 21 days" in source.text


def test_the_sum_of_all_streams_is_capped() -> None:
    data = one_page_pdf(zlib.compress(TEXT + b" " * (3 * MB)), b"/FlateDecode")
    with pytest.raises(TooLargeError, match="streams inflate to more than"):
        read_document(data, name="many.pdf",
                      limits=Limits(max_stream_bytes=4 * MB, max_inflated_bytes=2 * MB))


@pytest.mark.parametrize(
    ("encoded", "filters"),
    [
        (base64.a85encode(zlib.compress(b" " * (3 * MB))) + b"~>",
         b"[/ASCII85Decode /FlateDecode]"),
        (zlib.compress(b" " * (3 * MB)).hex().encode() + b">", b"[/AHx /Fl]"),
        (bytes([129, 32]) * 30_000, b"/RunLengthDecode"),  # each pair: 128 spaces
    ],
)
def test_filter_chains_are_measured(encoded: bytes, filters: bytes) -> None:
    data = one_page_pdf(encoded, filters)
    with pytest.raises(TooLargeError, match="inflates to more than"):
        check_streams(data, "chain.pdf", Limits(max_stream_bytes=2 * MB))


def test_image_streams_are_not_inflated_but_counted() -> None:
    image = (b"<< /Type /XObject /Subtype /Image /Width 40000 /Height 40000 /BitsPerComponent 8"
             b" /ColorSpace /DeviceGray /Filter /FlateDecode /Length 10 >>\nstream\n"
             + zlib.compress(b"\0" * 20)[:10] + b"\nendstream")
    data = build_pdf([b"<< /Type /Catalog >>", image])
    census = check_streams(data, "image.pdf", Limits(max_stream_bytes=1))
    assert census.largest_image_pixels == 1_600_000_000


def test_real_documents_pass_quickly() -> None:
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "sample_policies" / "millbrook-so-policy.pdf"
    census = check_streams(sample.read_bytes(), sample.name, Limits())
    assert census.streams >= 3 and census.largest_stream < MB


def _two_pages(second: bytes) -> bytes:
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(TEXT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        second,
    ])


def test_a_page_pdfium_cannot_load_is_skipped_and_reported() -> None:
    source = read_document(_two_pages(b"42"), name="half.pdf")
    assert "erased after 21 days" in source.text
    assert any("damaged and were not read (page 2)" in note for note in source.quality.notes)


def test_no_loadable_page_is_a_read_error() -> None:
    data = build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"42",
    ])
    with pytest.raises(CorruptDocumentError, match="damaged"):
        read_document(data, name="broken.pdf")
