"""Ingest: document bytes → ``SourceText`` (normalised text + page map + quality).

``read_document`` accepts a path or bytes, refuses what it cannot read with an error that
says what is wrong and what to do, and never trusts the file: size is checked before
reading, PDFs against page and time limits, DOCX packages against zip bombs.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

from ..errors import EmptyDocumentError, InputError, TooLargeError
from ..models import ExtractionQuality, SourceText
from ..registry import extractors
from . import formats  # noqa: F401  (registers one extractor per format)
from .clean import assemble, normalise_pages
from .furniture import explain_empty
from .limits import Limits, megabytes
from .ocr import Progress
from .pdf import PdfText
from .sniff import MEDIA_TYPES, sniff

__all__ = ["Limits", "Progress", "read_document", "source_from_text"]

_WORD = re.compile(r"[A-Za-z]{2,}")
# One plain word per line: counted over all the sample's words at once (a Python test per
# word cost a tenth of reading a text file). Punctuation at a word's edges is skipped in
# the same pass (stripping it first was a second pass and a copy of the sample); it holds
# no letter, so the possessive runs give nothing back that the letters could use.
_EDGE = "[.,;:()\"'“”’-]"
_PLAIN_WORDS = re.compile(rf"(?m)^{_EDGE}*+(?:[a-z]++|[A-Z](?:[a-z]++|[A-Z]*+)){_EDGE}*+$")


def read_document(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> SourceText:
    """Read a document into ``SourceText``. ``progress(step, total)`` is called before each
    scanned PDF page is read by OCR (the slow part), so a caller can show how far it got."""
    limits = limits or Limits()
    if isinstance(source, bytes):
        data, name = source, name or "document"
    else:
        path = Path(source)
        name = name or path.name
        data = _read_file(path, name, limits)
    if len(data) > limits.max_bytes:
        raise TooLargeError(
            f"{name}: the file is {megabytes(len(data))}; the limit is "
            f"{megabytes(limits.max_bytes)}"
        )
    if not data.strip():
        raise EmptyDocumentError(f"{name}: the file is empty; there is nothing to score")
    extracted = extractors()[sniff(data, name)](data, name, limits, progress)
    kind, pdf = extracted.kind, extracted.pdf
    _refuse_dense(extracted.pages, name, limits.max_characters)
    text, spans = assemble(extracted.pages, paged=extracted.paged)
    if len(text) > limits.max_characters:
        raise TooLargeError(
            f"{name}: {len(text):,} characters of text; the limit is {limits.max_characters:,}"
        )
    if not text.strip():
        raise EmptyDocumentError(_nothing_left(name, extracted.pages, paged=extracted.paged))
    longest = max(map(len, text.split("\n")))
    if longest > limits.max_line_characters:
        raise TooLargeError(
            f"{name}: a paragraph of {longest:,} characters without a line break; the limit is "
            f"{limits.max_line_characters:,} (the text lost its line breaks, or is not a policy)"
        )
    return SourceText(
        name=name,
        media_type=MEDIA_TYPES[kind],
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        pages=spans,
        quality=quality_of(text, pdf),
    )


def _refuse_dense(pages: list[list[str]], name: str, limit: int) -> None:
    """Cleaning keeps every visible character, so lines with more than ``limit`` of them
    make a text over the limit too: refuse before paying for the cleaning (20 MB of text:
    2.8 s of CPU otherwise)."""
    if sum(map(len, itertools.chain.from_iterable(pages))) <= limit:
        return  # no more visible characters than characters: counting them would cost more
    dense = _visible_characters(pages, limit)
    if dense > limit:
        raise TooLargeError(f"{name}: over {limit:,} characters of text "
                            f"(at least {dense:,}); the limit is {limit:,}")


_CONTROLS = dict.fromkeys([*range(32), 127])  # deleted by str.translate


def _visible_characters(pages: list[list[str]], limit: int) -> int:
    """Characters other than whitespace and control characters in the extracted lines, a
    lower bound on the cleaned text's length; counting stops once past ``limit``."""
    count = 0
    for page in pages:
        for line in page:
            count += len("".join(line.translate(_CONTROLS).split()))  # C speed, not per char
            if count > limit:
                return count
    return count


def _nothing_left(name: str, pages: list[list[str]], *, paged: bool) -> str:
    """Why no text is left: none was extracted, or all of it was page furniture."""
    removed = explain_empty(normalise_pages(pages), paged=paged)
    if removed is None:
        return f"{name}: no text could be extracted; there is nothing to score"
    return (f"{name}: no policy text is left to score: {removed}. Send the policy's own "
            "text, not only its page headers, footers and numbers")


def source_from_text(text: str, name: str = "pasted text") -> SourceText:
    """Pasted text (the web form, the JSON API): cleaned like a plain-text file."""
    return read_document(text.encode("utf-8"), name=name)


def _read_file(path: Path, name: str, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(f"{name}: is a folder, not a file")
        if size > limits.max_bytes:
            raise TooLargeError(
                f"{name}: the file is {megabytes(size)}; the limit is {megabytes(limits.max_bytes)}"
            )
        with path.open("rb") as handle:
            # Read one byte past the limit: files that grow or lie about size are caught too.
            return handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def quality_of(text: str, pdf: PdfText | None = None) -> ExtractionQuality:
    words = text.split()
    notes: list[str] = []
    pages = len(pdf.pages) if pdf is not None else None
    without_text = pdf.without_text if pdf is not None else 0
    if pdf is not None:
        notes.extend(pdf.notes)
        # Pages that OCR was asked to read but gave no words are already counted as
        # without text; say so only when no OCR note explains them.
        if without_text and not pdf.ocr_pages and not any("text layer" in n for n in notes):
            notes.append(
                f"{without_text} of {pages} page(s) had no text layer (scanned?) and were "
                "not read; clauses on them are not scored"
            )
    return ExtractionQuality(
        characters=len(text),
        words=len(words),
        pages=pages,
        pages_without_text=without_text,
        ocr_pages=pdf.ocr_pages if pdf is not None else 0,
        ocr_confidence=(
            round(pdf.ocr_confidence, 1)
            if pdf is not None and pdf.ocr_confidence is not None else None
        ),
        garbled=looks_garbled(words),
        notes=notes,
    )


def looks_garbled(words: list[str]) -> bool:
    """Bad font encodings give runs of symbols or random-case letters instead of words."""
    sample = words[:3000]
    if len(sample) < 20:
        return False
    joined = "\n".join(sample)
    plain = len(_PLAIN_WORDS.findall(joined))
    # Words with U+FFFD are at most its count: only count them when that could pass 5.
    return plain / len(sample) < 0.5 or (
        joined.count("\ufffd") > 5 and sum(1 for w in sample if "\ufffd" in w) > 5
    )


