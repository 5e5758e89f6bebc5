"""Damaged documents, made on purpose: a deterministic mutation corpus for ingest.

    python scripts/make_mutants.py --run                  # 1,200 mutants through read_document
    python scripts/make_mutants.py --run --count 5000 --seed 7
    python scripts/make_mutants.py OUT_DIR --count 300    # write the mutants as files

Seeds are the bundled ``sample_policies/`` files plus a few generated here (a minimal
hand-written PDF, a DOCX with a table, deeply nested HTML, one huge line); nothing is
read from outside the repository. Mutations: bit flips, byte overwrites, truncation,
chunk duplication and deletion, number tweaks in PDF syntax, and for DOCX, corruption of
one member inside a still-valid zip (bad XML, wrong root element, missing body, a styles
relationship pointing back at the document, a member removed).

``--run`` reads every mutant in a child process (killed after ``--timeout`` seconds, with
its address space capped at ``--memory`` MB) and counts the outcomes: read, refused with
the project's read error (``policy_audit.errors.InputError``), or a failure: another
exception (a crash: the CLI's exit 70), a timeout (a hang), or a killed process. Exit 1
when there is any failure. The same generator drives ``tests/test_mutants.py``.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import multiprocessing.connection
import random
import re
import resource
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from tests.pdf_builder import build_pdf  # noqa: E402  (one writer of PDFs from objects)

SAMPLES = ROOT / "sample_policies"
FIXED_ZIP_TIME = (2024, 2, 1, 9, 0, 0)

POLICY_TEXT = (
    "Policy 77: Plate Reader Data\n\n"
    "77.2 Retention. Scans that match no alert are deleted after 21 days.\n\n"
    "77.3 Sharing. Reads go only to sworn agencies in this state, on written request.\n"
)


@dataclass(frozen=True, slots=True)
class Mutant:
    name: str  # seed file name, with the suffix the mutant keeps (it is sniffed by name too)
    how: str
    data: bytes


# ------------------------------------------------------------------------------ seeds


def minimal_pdf(lines: list[str]) -> bytes:
    """An uncompressed one-page PDF with a correct cross-reference table."""
    content = b"BT /F1 12 Tf 72 720 Td 14 TL\n" + b"".join(
        b"(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
        + b") '\n" for line in lines
    ) + b"ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return build_pdf(objects)


def generated_docx() -> bytes | None:
    try:
        import docx
    except ImportError:
        return None
    document = docx.Document()
    document.add_heading("Policy 77: Plate Reader Data", level=1)
    document.add_paragraph("Scans that match no alert are deleted after 21 days.")
    document.add_paragraph("Only sworn agencies may ask.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Days kept"
    table.rows[0].cells[1].text = "21"
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes, replace: dict[str, bytes | None] | None = None) -> bytes:
    """The package rewritten with fixed timestamps, members replaced (None: removed)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = replace.get(info.filename, src.read(info.filename))
            if body is None:
                continue
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


def seeds() -> list[tuple[str, bytes]]:
    """(name, bytes) of every seed document, always in the same order."""
    found = [
        (path.name, path.read_bytes())
        for path in sorted(SAMPLES.iterdir())
        if path.is_file() and path.suffix in {".pdf", ".docx", ".html", ".md", ".txt"}
    ]
    found.append(("generated.pdf", minimal_pdf(POLICY_TEXT.splitlines())))
    docx_bytes = generated_docx()
    if docx_bytes is not None:
        found.append(("generated.docx", docx_bytes))
    found.append(("nested.html", nested_html(2_000)))
    found.append(("one-line.txt", huge_line(200_000)))
    return found


def nested_html(depth: int) -> bytes:
    return (b"<html><body>" + b"<div>" * depth + b"<p>Reads are kept 30 days.</p>"
            + b"</div>" * depth + b"</body></html>")


def huge_line(characters: int) -> bytes:
    sentence = b"Plate data is kept for thirty days and then erased. "
    return (sentence * (characters // len(sentence) + 1))[:characters]


# ------------------------------------------------------------------------------ mutations


def _bit_flips(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


_INTERESTING = [b"\x00", b"\xff", b"<", b">", b"(", b")", b"[", b"]", b"/", b"0", b"9", b"\n",
                b"R", b"-", b"%"]


def _overwrite(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        at = rng.randrange(len(out))
        out[at:at + 1] = rng.choice(_INTERESTING)
    return bytes(out)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _duplicate_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start:start + rng.randint(1, 4096)]
    at = rng.randrange(len(data))
    return data[:at] + chunk * rng.randint(1, 4) + data[at:]


def _delete_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 4096):]


_NUMBER = re.compile(rb"(?<![0-9.])\d{1,7}(?![0-9.])")


def _pdf_numbers(data: bytes, rng: random.Random) -> bytes:
    """Change numbers in the PDF syntax: object numbers, lengths, offsets, counts."""
    spots = [m.span() for m in _NUMBER.finditer(data[:2_000_000])]
    if not spots:
        return _bit_flips(data, rng)
    out = data
    for start, end in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 6))),
                             reverse=True):
        value = rng.choice([b"0", b"-1", b"1", b"99999999", b"2147483648", b"3",
                            str(rng.randrange(100000)).encode()])
        out = out[:start] + value + out[end:]
    return out


def _pdf_keywords(data: bytes, rng: random.Random) -> bytes:
    """Remove or swap PDF keywords (endobj, endstream, xref, trailer, /Kids, /Root)."""
    words = [b"endobj", b"endstream", b"stream", b"xref", b"trailer", b"/Kids", b"/Root",
             b"/Pages", b"/Count", b"/Length", b"/Contents", b"/Type", b"obj", b"startxref"]
    word = rng.choice(words)
    spots = [m.start() for m in re.finditer(re.escape(word), data[:2_000_000])]
    if not spots:
        return _truncate(data, rng)
    at = rng.choice(spots)
    replacement = rng.choice([b"", rng.choice(words), word + word, b"/Page"])
    return data[:at] + replacement + data[at + len(word):]


def _docx_member(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One member of the package damaged inside a zip that still opens."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted(archive.namelist())
            member = rng.choice(names)
            body = archive.read(member)
    except (zipfile.BadZipFile, OSError, KeyError):
        return "bit-flips", _bit_flips(data, rng)
    choice = rng.randrange(9)
    if choice == 0:
        how, new = "member bit flips", _bit_flips(body or b"x", rng)
    elif choice == 1:
        how, new = "member truncated", body[: rng.randrange(len(body) + 1)]
    elif choice == 2:
        how, new = "member removed", None
    elif choice == 3:
        how, new = "member empty", b""
    elif choice == 4:
        member = "word/document.xml"
        how, new = "document without a body", (
            b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            b'openxmlformats.org/wordprocessingml/2006/main"/>')
    elif choice == 5:
        member = "word/document.xml"
        how, new = "document with a wrong root element", (
            b'<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body/></w:styles>')
    elif choice == 6:
        member = "word/_rels/document.xml.rels"
        how, new = "styles relationship pointing at the document", (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'styles" Target="document.xml"/></Relationships>')
    elif choice == 7:
        how, new = "member replaced by markup junk", b"<a><b></a>" * rng.randint(1, 50)
    else:
        how, new = "member chunk duplicated", _duplicate_chunk(body or b"x", rng)
    return f"{how} ({member})", _fixed_zip(data, {member: new})


_BYTE_MUTATIONS: list[tuple[str, Callable[[bytes, random.Random], bytes]]] = [
    ("bit flips", _bit_flips),
    ("byte overwrites", _overwrite),
    ("truncated", _truncate),
    ("chunk duplicated", _duplicate_chunk),
    ("chunk deleted", _delete_chunk),
]


def mutate(name: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    suffix = name.rsplit(".", 1)[-1]
    if suffix == "pdf" and rng.random() < 0.4:
        if rng.random() < 0.5:
            return "pdf numbers", _pdf_numbers(data, rng)
        return "pdf keywords", _pdf_keywords(data, rng)
    if suffix == "docx" and rng.random() < 0.6:
        return _docx_member(data, rng)
    if suffix in {"html", "txt", "md"} and rng.random() < 0.15:
        if rng.random() < 0.5:
            return "nested 20,000 deep", nested_html(20_000)
        return "one 300,000-character line", huge_line(300_000)
    how, mutation = rng.choice(_BYTE_MUTATIONS)
    return how, mutation(data, rng)


def mutants(count: int, seed: int = 10) -> Iterator[Mutant]:
    """``count`` mutants, the same ones for the same (count, seed)."""
    rng = random.Random(seed)
    bases = seeds()
    for number in range(count):
        name, data = bases[number % len(bases)]
        how, mutated = mutate(name, data, rng)
        yield Mutant(name=name, how=how, data=mutated)


# ------------------------------------------------------------------------------ running


def classify(mutant: Mutant) -> tuple[str, str]:
    """("read" | "refused" | "crash", detail) for one mutant, in this process."""
    from policy_audit.errors import InputError
    from policy_audit.ingest import Limits, read_document

    try:
        source = read_document(mutant.data, name=mutant.name, limits=Limits(ocr=False))
    except InputError as error:
        return "refused", type(error).__name__
    except Exception as error:  # what the CLI turns into exit 70
        return "crash", f"{type(error).__name__}: {str(error)[:160]}"
    return "read", f"{len(source.text)} characters"


def _child(mutant: Mutant, memory_mb: int, pipe: multiprocessing.connection.Connection) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        pipe.send(classify(mutant))
    except MemoryError:
        pipe.send(("crash", "MemoryError"))


def run_isolated(mutant: Mutant, timeout: float, memory_mb: int) -> tuple[str, str, float]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    started = time.monotonic()
    process = context.Process(target=_child, args=(mutant, memory_mb, send))
    process.start()
    send.close()
    outcome: tuple[str, str] | None = None
    if receive.poll(timeout):
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = None
    elapsed = time.monotonic() - started
    if outcome is None and process.is_alive():
        process.kill()
        process.join()
        return "hang", f"killed after {timeout:g} s", elapsed
    process.join()
    if outcome is None:
        return "crash", f"process died (exit {process.exitcode})", elapsed
    return outcome[0], outcome[1], elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, help="write the mutants here")
    parser.add_argument("--count", type=int, default=1200, help="how many (default: 1200)")
    parser.add_argument("--seed", type=int, default=10, help="random seed (default: 10)")
    parser.add_argument("--run", action="store_true", help="read each mutant and count outcomes")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds before a mutant counts as a hang (default: 30)")
    parser.add_argument("--memory", type=int, default=2048,
                        help="address-space cap of each child, MB (default: 2048)")
    args = parser.parse_args(argv)
    if not args.run and args.out_dir is None:
        parser.error("give OUT_DIR to write the mutants, or --run to read them")
    if args.out_dir is not None:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.run:  # load the readers once, before the children are forked
        import docx  # noqa: F401

        import policy_audit.ingest  # noqa: F401
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    slowest = (0.0, "")
    started = time.monotonic()
    for number, mutant in enumerate(mutants(args.count, args.seed)):
        label = f"{number:05d} {mutant.name} [{mutant.how}]"
        if args.out_dir is not None:
            stem, _, suffix = mutant.name.rpartition(".")
            (args.out_dir / f"{number:05d}-{stem}.{suffix}").write_bytes(mutant.data)
        if not args.run:
            continue
        kind, detail, elapsed = run_isolated(mutant, args.timeout, args.memory)
        outcomes[kind] += 1
        slowest = max(slowest, (elapsed, label))
        if kind in {"crash", "hang"}:
            failures.append(f"{kind}: {label}: {detail}")
            print(failures[-1], flush=True)
    if args.run:
        total = sum(outcomes.values())
        print(f"{total} mutants (seed {args.seed}) in {time.monotonic() - started:.0f} s: "
              + ", ".join(f"{outcomes[k]} {k}" for k in ("read", "refused", "crash", "hang"))
              + f"; slowest {slowest[0]:.1f} s ({slowest[1]})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
