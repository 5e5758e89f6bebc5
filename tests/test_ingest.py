"""Ingest: every format comes out as clean, offset-true text, and bad files get clear errors."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from policy_audit.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    InputError,
    ScannedDocumentError,
    TooLargeError,
    UnsupportedFormatError,
)
from policy_audit.ingest import Limits, read_document

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import letter  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

HEADER = "Millbrook County Sheriff Policy Manual"


def make_pdf(pages: list[list[str]], *, furniture: bool = True) -> bytes:
    """A text PDF with a running header and a "Page N of M" footer on every page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    for number, lines in enumerate(pages, start=1):
        if furniture:
            pdf.drawString(72, 760, HEADER)
        y = 730
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 14
        if furniture:
            footer = f"Automated License Plate Readers - Page {number} of {len(pages)}"
            pdf.drawString(72, 40, footer)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


TWO_PAGES = [
    [
        "412.4 RETENTION",
        "Plate scans that do not match a hot list shall be destroyed thirty days after they",
        "are collected, unless they have become evidence in an ongoing investi-",
    ],
    [
        "gation. Non-",
        "hit records shall never be copied to a third-",
        "party system.",
        "412.5 SHARING",
        "Data may be shared only with California public agencies.",
    ],
]


def test_pdf_headers_footers_and_hyphens_are_repaired() -> None:
    source = read_document(make_pdf(TWO_PAGES), name="policy.pdf")
    assert source.media_type == "application/pdf"
    assert HEADER not in source.text
    assert "Page 1 of 2" not in source.text
    assert "ongoing investigation. Non-hit records" in source.text
    assert "third-party system." in source.text
    # A sentence broken over two lines (and a page) is one line again.
    assert "destroyed thirty days after they are collected, unless" in source.text
    assert "412.5 SHARING\nData may be shared" in source.text


def test_pdf_offsets_map_to_pages() -> None:
    source = read_document(make_pdf(TWO_PAGES), name="policy.pdf")
    assert source.quality.pages == 2
    assert source.page_at(source.text.index("412.4 RETENTION")) == 1
    assert source.page_at(source.text.index("412.5 SHARING")) == 2
    # The page break fell inside "investi-gation": the second half is on page 2.
    assert source.page_at(source.text.index("gation")) == 2
    assert source.page_at(source.text.index("investigation")) == 1


def test_pdf_evidence_carries_its_page() -> None:
    from policy_audit.pipeline import audit

    card = audit(make_pdf(TWO_PAGES), name="policy.pdf")
    retention = next(c for c in card.criteria if c.id == "retention")
    assert retention.evidence and retention.evidence[0].page == 1
    assert card.document.pages == 2


def test_image_only_pdf_is_reported_as_scanned() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(ScannedDocumentError, match="OCR"):
        read_document(buffer.getvalue(), name="scan.pdf")


def test_encrypted_pdf_is_refused_with_what_to_do() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(make_pdf(TWO_PAGES))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(EncryptedDocumentError, match="password"):
        read_document(out.getvalue(), name="locked.pdf")


def test_truncated_pdf_is_corrupt_not_a_crash() -> None:
    data = make_pdf(TWO_PAGES)
    with pytest.raises(CorruptDocumentError, match="damaged"):
        read_document(data[: len(data) // 2], name="cut.pdf")


def test_pdf_page_limit() -> None:
    data = make_pdf([["Short page of policy text here."]] * 5)
    with pytest.raises(TooLargeError, match="5 pages; the limit is 3"):
        read_document(data, name="long.pdf", limits=Limits(max_pages=3))


def test_binary_junk_named_pdf(tmp_path: Path) -> None:
    junk = tmp_path / "policy.pdf"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(CorruptDocumentError, match="not a PDF"):
        read_document(junk)


def test_binary_junk_without_a_name_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError, match="binary"):
        read_document(b"\x00\x01\x02" * 500, name="upload")


@pytest.mark.parametrize("content", [b"", b"   \n\n  \t"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyDocumentError, match="empty"):
        read_document(path)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.seek(200 * 1024 * 1024)
        handle.write(b"x")
    with pytest.raises(TooLargeError, match=r"200\.0 MB; the limit is 20\.0 MB"):
        read_document(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.pdf")
    with pytest.raises(InputError, match="folder"):
        read_document(tmp_path)


def test_docx_zip_bomb_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (120 * 1024 * 1024))
    with pytest.raises(TooLargeError, match="unpacks to"):
        read_document(buffer.getvalue(), name="bomb.docx")


def test_docx_with_a_million_elements_is_refused_before_parsing(monkeypatch) -> None:
    from tests.docx_builder import DOCUMENT_END, DOCUMENT_START, build_docx, paragraph

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the DOCX was parsed before its XML was counted")

    import docx

    monkeypatch.setattr(docx, "Document", never)
    runs = [b"<w:r/>" * 1000] * 1001  # 1,001,000 runs in one paragraph: 6 MB of XML
    data = build_docx([DOCUMENT_START, paragraph("ALPR data is purged after 30 days."),
                       b"<w:p>", *runs, b"</w:p>", DOCUMENT_END])
    with pytest.raises(TooLargeError, match=r"XML holds 1,001,0\d\d elements; the limit is "
                                            r"1,000,000"):
        read_document(data, name="runs.docx")


def test_docx_text_past_the_character_limit_is_refused_while_reading() -> None:
    from tests.docx_builder import DOCUMENT_END, DOCUMENT_START, build_docx, paragraph

    line = paragraph("Plate reads are deleted after 30 days unless they are evidence. " * 10)
    data = build_docx([DOCUMENT_START, *[line] * 2000, DOCUMENT_END])
    with pytest.raises(TooLargeError, match=r"more than 100,000 characters of text"):
        read_document(data, name="long.docx", limits=Limits(max_characters=100_000))


def test_docx_headings_lists_and_tables() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Section 7 Retention of Plate Data", level=1)
    document.add_paragraph("Data that matches no hot list shall be deleted after 14 days.")
    document.add_paragraph("Requests must be in writing.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Data retention (in days)"
    table.rows[0].cells[1].text = "14"
    buffer = io.BytesIO()
    document.save(buffer)
    source = read_document(buffer.getvalue(), name="policy.docx")
    assert source.media_type.endswith("wordprocessingml.document")
    lines = source.text.split("\n")
    assert "# Section 7 Retention of Plate Data" in lines
    assert "• Requests must be in writing." in lines
    assert "Data retention (in days)" in lines and "14" in lines


def test_docx_detected_by_content_whatever_its_name() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Plate data shall be purged after 30 days.")
    buffer = io.BytesIO()
    document.save(buffer)
    source = read_document(buffer.getvalue(), name="policy.txt")
    assert "wordprocessingml" in source.media_type
    assert source.text == "Plate data shall be purged after 30 days."


def test_html_blocks_scripts_and_deep_nesting() -> None:
    page = (
        "<!doctype html><html><head><title>x</title><script>steal()</script></head><body>"
        "<nav>Home | About</nav><h2>Retention</h2><p>Reads are kept <b>for 30 days</b>"
        " and then\n deleted.</p><ul><li>No sharing with ICE.</li></ul>"
        + "<div>" * 50_000 + "<p>Deep text.</p>" + "</div>" * 50_000 + "</body></html>"
    )
    source = read_document(page.encode(), name="portal")
    assert source.media_type == "text/html"
    assert source.text.split("\n") == [
        "## Retention",
        "Reads are kept for 30 days and then deleted.",
        "• No sharing with ICE.",
        "Deep text.",
    ]


def test_html_definition_terms_and_values_stay_apart() -> None:
    """A <dd> value that runs long must not swallow the next <dt> label (nor the label its
    value): every block element ends a paragraph. A term ends with ":" (it labels what is
    under it) and a table row stays one line, its cells split by " | "."""
    page = (
        "<html><body><dl>"
        "<dt>Cameras in service</dt><dd>12</dd>"
        "<dt>Alert sources</dt><dd>State stolen-car file, regional warrant list, missing "
        "person bulletins and local case lists</dd>"
        "<dt>Uses not allowed</dt><dd><ul><li>Deportation work</li><li>Private use</li></ul></dd>"
        "</dl><table><tr><th>Days kept</th><td>45</td></tr></table></body></html>"
    )
    source = read_document(page.encode(), name="portal.html")
    assert source.text.split("\n") == [
        "Cameras in service:",
        "12",
        "Alert sources:",
        "State stolen-car file, regional warrant list, missing person bulletins and local "
        "case lists",
        "Uses not allowed:",
        "• Deportation work",
        "• Private use",
        "Days kept | 45",
    ]


def test_html_line_break_is_a_soft_break() -> None:
    """<br> inside a paragraph is a line break, not a block end: a wrapped sentence rejoins."""
    page = (
        "<html><body><p>Scans that match no alert are erased from the system<br>"
        "within two weeks of capture.</p><p>Next paragraph.</p></body></html>"
    )
    source = read_document(page.encode(), name="page.html")
    assert source.text.split("\n") == [
        "Scans that match no alert are erased from the system within two weeks of capture.",
        "Next paragraph.",
    ]


def test_markdown_markup_is_removed_but_structure_kept() -> None:
    """Inline markup goes; list markers stay as written (quotes are the document's words)."""
    text = (
        "# Oakdale ALPR Memo\n\n**Retention.** Data is kept for *one year*.\n\n"
        "- See [our policy](https://oakdale.example.gov/alpr)\n"
    )
    source = read_document(text.encode(), name="memo.md")
    assert source.media_type == "text/markdown"
    assert source.text.split("\n") == [
        "# Oakdale ALPR Memo",
        "Retention. Data is kept for one year.",
        "- See our policy (https://oakdale.example.gov/alpr)",
    ]


def test_plain_text_wrapped_lines_and_copied_footers() -> None:
    footer = "Riverton PD Policy Manual - {n}"
    text = "\n".join(
        [
            "462.6 RETENTION",
            "All plate reads that are not part of an investigation shall be purged",
            "within thirty (30) days of capture.",
            footer.format(n=1),
            "(a)",
            "Hit records follow the evidence schedule.",
            footer.format(n=2),
            "Page 3 of 9",
            footer.format(n=3),
        ]
    )
    source = read_document(text.encode(), name="policy.txt")
    assert source.text.split("\n") == [
        "462.6 RETENTION",
        "All plate reads that are not part of an investigation shall be purged within "
        "thirty (30) days of capture.",
        "(a) Hit records follow the evidence schedule.",
    ]
    assert source.pages == []


def test_a_text_of_one_numbered_line_repeated_is_its_body_not_a_footer() -> None:
    # Issue 10/11: every line looked like a copied footer (digits aside, the same line
    # 3+ times), all of it was dropped, and the text was refused as empty.
    line = "Stored plate images are erased after 45 days. Item {n}."
    text = "\n".join(line.format(n=n) for n in range(1, 9))
    source = read_document(text.encode(), name="repeated.txt")
    assert source.text.count("Stored plate images are erased after 45 days.") == 8


def test_a_pdf_whose_pages_repeat_one_line_keeps_it() -> None:
    pages = [[f"Stored plate images are erased after 45 days (sheet {n})."] for n in range(1, 5)]
    source = read_document(make_pdf(pages, furniture=False), name="repeated.pdf")
    assert source.text.count("Stored plate images are erased after 45 days") == 4
    assert source.page_at(source.text.rindex("Stored plate")) == 4


def test_copied_footers_are_still_dropped_when_they_are_a_minority() -> None:
    footer = "Westfield PD Policy Manual - {n}"
    pages = [["Plate reads are deleted after 30 days.", "Hits are kept as evidence."],
             ["Access requires a case number.", "Audits are monthly."],
             ["Sharing is limited to state agencies.", "The chief reports yearly."]]
    lines = [line for n, page in enumerate(pages, 1) for line in (*page, footer.format(n=n))]
    source = read_document("\n".join(lines).encode(), name="policy.txt")
    assert "Westfield PD Policy Manual" not in source.text
    assert source.text.split("\n") == [line for page in pages for line in page]


def test_a_document_of_nothing_but_furniture_says_what_was_removed() -> None:
    text = "\n".join(["Copyright 2025 Town of Eastbrook. All rights reserved."] * 3
                     + ["Page 1 of 2", "Page 2 of 2"])
    with pytest.raises(EmptyDocumentError) as caught:
        read_document(text.encode(), name="frame.txt")
    message = str(caught.value)
    assert message.startswith("frame.txt: no policy text is left to score")
    assert 'all 5 of its lines were page furniture' in message
    assert '5 copyright or "Page N of M" lines' in message
    assert "no text could be extracted" not in message
    assert "\n" not in message


def _drawn_pdf(pages: list[list[tuple[int, str]]]) -> bytes:
    """A PDF whose pages draw (y, text) lines in the order given: the content stream's
    order, which is the order PDFium reads them in, whatever their place on the page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    for lines in pages:
        for y, text in lines:
            pdf.drawString(72, y, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _page(number: int, body: list[str]) -> list[tuple[int, str]]:
    top = [(760, "Eastbrook County Sheriff Policy Manual"), (746, "License Plate Readers")]
    lines = [(730 - 14 * i, text) for i, text in enumerate(body)]
    return [*top, *lines, (40, f"Eastbrook County Sheriff - Policy 462 - page {number}")]


_SUBJECTS = ("alerts queries audits cameras images requests logs reports shifts stops "
             "warrants cases notes vendors trainees").split()
_ROLES = "sergeant clerk analyst lieutenant captain auditor".split()


def _prose(page: int, count: int) -> list[str]:
    """Distinct body lines (digits aside) of full width, so none looks like furniture."""
    return [f"Members log the {_SUBJECTS[(page * 5 + i) % 15]} of each patrol and the "
            f"{_ROLES[(page + i) % 6]} reviews them before the {_SUBJECTS[i]} are closed."
            for i in range(count)]


def test_a_sentence_end_recurring_mid_page_is_not_a_running_footer() -> None:
    # Issue 11: the end of a sentence that recurs on two pages of three ("… in keeping
    # with Eastbrook" / "County Sheriff general order 212.") was dropped as furniture.
    ending = "County Sheriff general order 212."
    first = ("(g) Members who misuse the readers or the data may be disciplined in keeping "
             "with Eastbrook")
    second = ("(h) Members who share plate data without approval may be disciplined in "
              "keeping with Eastbrook")
    pages = [
        _page(1, _prose(1, 10)),
        _page(2, [*_prose(2, 5), first, ending, *_prose(2, 5)]),
        _page(3, [*_prose(3, 5), second, ending, *_prose(3, 5)]),
    ]
    source = read_document(_drawn_pdf(pages), name="policy.pdf")
    lines = source.text.split("\n")
    assert f"{first} {ending}" in lines
    assert f"{second} {ending}" in lines
    # The real furniture is still gone.
    assert "Policy Manual" not in source.text
    assert "Policy 462" not in source.text


def test_a_footer_drawn_mid_stream_is_still_running_furniture() -> None:
    footer = "Eastbrook County Sheriff - Policy 462 - page {n}"
    pages = []
    for n in range(1, 5):
        body = [(730 - 14 * i, line) for i, line in enumerate(_prose(n, 6))]
        # The footer sits at the bottom of the page but is drawn between two body lines.
        pages.append([*body[:3], (40, footer.format(n=n)), *body[3:]])
    source = read_document(_drawn_pdf(pages), name="policy.pdf")
    assert "Eastbrook County Sheriff" not in source.text
    assert source.text.split("\n") == [line for n in range(1, 5) for line in _prose(n, 6)]


def test_text_encodings_and_ligatures() -> None:
    assert read_document("Data is ﬁled for 30 days.".encode(), name="a.txt").text == (
        "Data is filed for 30 days."
    )
    cp1252 = "The “hot list” § 2.1 rules apply.".encode("cp1252")
    assert read_document(cp1252, name="b.txt").text == "The “hot list” § 2.1 rules apply."
    utf16 = "Purged after 30 days.".encode("utf-16")
    assert read_document(utf16, name="c.txt").text == "Purged after 30 days."


def test_sha256_is_of_the_original_bytes() -> None:
    import hashlib

    data = b"ALPR data shall be purged after 30 days.\n"
    assert read_document(data, name="x.txt").sha256 == hashlib.sha256(data).hexdigest()


def test_garbled_text_is_flagged() -> None:
    garbage = " ".join(["xQ#7", "Zr$k", "p9@W", "mM&2"] * 30)
    assert read_document(garbage.encode(), name="bad.txt").quality.garbled
    clean = " ".join(["Plate", "data", "shall", "be", "purged"] * 30)
    assert not read_document(clean.encode(), name="ok.txt").quality.garbled


def test_wrap_is_judged_by_the_last_line_not_the_paragraph() -> None:
    """A long paragraph whose last line is short and unpunctuated is not a wrap: the
    capitalised line after it starts a new paragraph. A line that ran to the margin is."""
    text = (
        "Every operator finishes the reader course taught at the regional training center\n"
        "before a first shift on the system\n"
        "Supervisor Review Of Logs\n"
        "Plate reads that match no hotlist entry are erased after fourteen days unless\n"
        "Records Unit staff tag them as evidence in an open case.\n"
    )
    source = read_document(text.encode(), name="policy.txt")
    assert source.text.split("\n") == [
        "Every operator finishes the reader course taught at the regional training center "
        "before a first shift on the system",
        "Supervisor Review Of Logs",
        "Plate reads that match no hotlist entry are erased after fourteen days unless "
        "Records Unit staff tag them as evidence in an open case.",
    ]


def test_unwrap_tracks_the_last_joined_line() -> None:
    from policy_audit.ingest.clean import RawLine, unwrap

    lines = [RawLine(t, None) for t in (
        "An unusually long opening line of body text that runs right up to the margin",
        "and a short tail",
        "Next Label",
    )]
    merged = unwrap(lines)
    assert [p.text for p in merged] == [
        "An unusually long opening line of body text that runs right up to the margin and a "
        "short tail",
        "Next Label",
    ]
    assert merged[0].last_line == len("and a short tail")


def test_plain_text_label_after_a_long_value_starts_a_paragraph() -> None:
    """A portal copied to text without blank lines: a long value line ran to the margin,
    but the short label after it introduces a list, so it is not the value's continuation."""
    text = (
        "Alert sources\n"
        "State stolen-car file, regional warrant list, missing person bulletins, local lists\n"
        "Uses not allowed\n"
        "• Deportation work\n"
        "• Private use\n"
        "Camera locations are chosen by the patrol commander after reviewing crash data\n"
        "Shared with:\n"
        "Eastbrook Police Department\n"
    )
    source = read_document(text.encode(), name="portal.txt")
    assert source.text.split("\n") == [
        "Alert sources",
        "State stolen-car file, regional warrant list, missing person bulletins, local lists",
        "Uses not allowed",
        "• Deportation work",
        "• Private use",
        "Camera locations are chosen by the patrol commander after reviewing crash data",
        "Shared with:",
        "Eastbrook Police Department",
    ]


def test_a_text_far_over_the_character_limit_is_refused_before_cleaning(monkeypatch) -> None:
    import policy_audit.ingest as ingest
    from policy_audit.errors import TooLargeError

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the text was cleaned before its size was checked")

    monkeypatch.setattr(ingest, "assemble", never)
    data = ("ALPR data shall be purged after 30 days and shared only with police.\n"
            * 30_000).encode()
    with pytest.raises(TooLargeError, match=r"over 1,000,000 characters of text \(at least"):
        ingest.read_document(data, name="huge.txt")
