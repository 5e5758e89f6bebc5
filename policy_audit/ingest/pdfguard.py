"""Measure a PDF's compressed streams before PDFium decodes them.

A 1 MB PDF can hold a content stream that inflates to 1 GB; PDFium decodes it whole when
the page is loaded, and the process grows past 2 GB. The file size limit cannot see that,
so every stream is inflated here first, in small pieces that are counted and thrown away
(memory stays flat), and the document is refused when one stream or all of them together
would inflate past ``Limits.max_stream_bytes`` / ``Limits.max_inflated_bytes``.

Streams are found by scanning the bytes (``<< … >> stream``), not by parsing the file's
structure, so a damaged cross-reference table cannot hide one. Image streams are not
inflated (PDFium decodes an image only to draw it); their pixel count is recorded so that
OCR can refuse to render a page holding a gigantic image.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
import zlib
from dataclasses import dataclass

from ..errors import TooLargeError
from .limits import Limits, megabytes

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]{0,400}\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\d)(?!\s+\d+\s+R)")
_WIDTH = re.compile(rb"/Width\s+(\d{1,9})\b")
_HEIGHT = re.compile(rb"/Height\s+(\d{1,9})\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_LOOKBACK = 4096  # bytes searched backwards for the stream's dictionary
_PIECE = 64 * 1024
_OUT_PIECE = 1024 * 1024

_FLATE = {b"FlateDecode", b"Fl"}
_LZW = {b"LZWDecode", b"LZW"}
_RUNLENGTH = {b"RunLengthDecode", b"RL"}
_HEX = {b"ASCIIHexDecode", b"AHx"}
_A85 = {b"ASCII85Decode", b"A85"}


@dataclass(slots=True)
class StreamCensus:
    streams: int = 0
    inflated_bytes: int = 0
    largest_stream: int = 0
    largest_image_pixels: int = 0


def check_streams(data: bytes, name: str, limits: Limits) -> StreamCensus:
    """Raise ``TooLargeError`` when the PDF's streams would inflate past the limits."""
    census = StreamCensus()
    view = memoryview(data)
    deadline = time.monotonic() + limits.max_seconds
    position = 0
    while True:
        match = _STREAM.search(data, position)
        if match is None:
            return census
        start = match.end()
        head = data.rfind(b"obj", max(0, match.start() - _LOOKBACK), match.start())
        dictionary = data[head if head >= 0 else max(0, match.start() - _LOOKBACK):match.end()]
        end = _stream_end(data, dictionary, start)
        body = view[start:end]
        census.streams += 1
        if _IMAGE.search(dictionary):
            census.largest_image_pixels = max(census.largest_image_pixels, _pixels(dictionary))
            position = max(end, start)
            continue
        size = _decoded_size(body, _filters(dictionary), limits.max_stream_bytes + 1)
        census.largest_stream = max(census.largest_stream, size)
        census.inflated_bytes += size
        if size > limits.max_stream_bytes:
            raise TooLargeError(
                f"{name}: a stream in this PDF inflates to more than "
                f"{megabytes(limits.max_stream_bytes)} (the limit); it is malformed or a "
                "decompression bomb. Print it to a new PDF if it is a real policy"
            )
        if census.inflated_bytes > limits.max_inflated_bytes:
            raise TooLargeError(
                f"{name}: this PDF's streams inflate to more than "
                f"{megabytes(limits.max_inflated_bytes)} (the limit); it is too large to "
                "read safely. Split it, or print it to a new PDF"
            )
        if time.monotonic() > deadline:
            raise TooLargeError(
                f"{name}: checking this PDF's {census.streams:,} streams took longer than "
                f"{limits.max_seconds:g} s; it may be malformed"
            )
        position = max(end, start)


def _stream_end(data: bytes, dictionary: bytes, start: int) -> int:
    """Where the stream's data ends: its /Length when that is a plain number and lands on
    ``endstream``, else the next ``endstream`` keyword, else the end of the file."""
    length = _LENGTH.search(dictionary)
    if length:
        end = start + int(length.group(1))
        if end <= len(data) and data[end:end + 32].lstrip().startswith(b"endstream"):
            return end
    found = data.find(b"endstream", start)
    return len(data) if found < 0 else found


def _filters(dictionary: bytes) -> list[bytes]:
    found = _FILTER.search(dictionary)
    return _NAME.findall(found.group(1)) if found else []


def _pixels(dictionary: bytes) -> int:
    width, height = _WIDTH.search(dictionary), _HEIGHT.search(dictionary)
    return int(width.group(1)) * int(height.group(1)) if width and height else 0


def _decoded_size(body: memoryview, filters: list[bytes], cap: int) -> int:
    """Bytes the stream decodes to, counted up to ``cap`` (a damaged stream counts what
    decodes before the damage, as PDFium would)."""
    data: bytes | memoryview = body
    for index, name in enumerate(filters):
        last = index == len(filters) - 1
        if name in _HEX:
            data = _unhex(bytes(data))
        elif name in _A85:
            data = _un85(bytes(data))
        elif name in _FLATE:
            if last:
                return _inflated_size(data, cap)
            data = _inflate(data, cap)
        elif name in _RUNLENGTH:
            if last:
                return _runlength_size(data, cap)
            return cap  # run-length data fed to another filter: too odd to trust
        elif name in _LZW:
            if last:
                return _lzw_size(data, cap)
            return cap
        else:
            return len(data)  # image codecs and unknown filters: not inflated here
        if len(data) >= cap:
            return len(data)
    return len(data)


def _inflated_size(body: bytes | memoryview, cap: int) -> int:
    inflater = zlib.decompressobj()
    total = 0
    try:
        for at in range(0, len(body), _PIECE):
            piece: bytes | memoryview = body[at:at + _PIECE]
            while piece:
                total += len(inflater.decompress(piece, _OUT_PIECE))
                if total >= cap or inflater.eof:
                    return total
                piece = inflater.unconsumed_tail
    except zlib.error:
        pass
    return total


def _inflate(body: bytes | memoryview, cap: int) -> bytes:
    """Inflate at most ``cap`` bytes (for a filter that is not the last in its chain)."""
    inflater = zlib.decompressobj()
    try:
        return inflater.decompress(body, cap)
    except zlib.error:
        return b""


def _unhex(data: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
    try:
        return binascii.unhexlify(digits[: len(digits) // 2 * 2])
    except binascii.Error:
        return b""


def _un85(data: bytes) -> bytes:
    text = re.sub(rb"\s", b"", data.split(b"~>", 1)[0])
    try:
        return base64.a85decode(text)
    except ValueError:
        return b""


def _runlength_size(data: bytes | memoryview, cap: int) -> int:
    total, at, size = 0, 0, len(data)
    while at < size and total < cap:
        length = data[at]
        if length == 128:
            break
        if length < 128:
            total += length + 1
            at += length + 2
        else:
            total += 257 - length
            at += 2
    return total


def _lzw_size(data: bytes | memoryview, cap: int) -> int:
    """Length of LZW output, tracking only the length of each table entry (no strings)."""
    lengths: list[int] = [1] * 256 + [0, 0]
    total, width, previous = 0, 9, -1
    bits = 0
    buffered = 0
    for byte in bytes(data):
        bits = (bits << 8) | byte
        buffered += 8
        while buffered >= width:
            buffered -= width
            code = (bits >> buffered) & ((1 << width) - 1)
            bits &= (1 << buffered) - 1
            if code == 256:
                lengths, width, previous = [1] * 256 + [0, 0], 9, -1
                continue
            if code == 257:
                return total
            if code < len(lengths):
                length = lengths[code]
            elif code == len(lengths) and previous >= 0:
                length = lengths[previous] + 1
            else:
                return total
            total += length
            if total >= cap:
                return total
            if previous >= 0 and len(lengths) < 4096:
                lengths.append(lengths[previous] + 1)
            previous = code
            if len(lengths) + 1 >= (1 << width) and width < 12:  # early change, as in PDF
                width += 1
    return total
