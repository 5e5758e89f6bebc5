"""How long does an audit take, compared with just tokenizing the same text with spaCy?

    python benchmarks/bench_audit.py [--runs 15] [--warmup 2]

For every sample policy, and for a ~6,000-word policy built here from the samples' text,
prints the median milliseconds per document (after a warm-up) of:

- ``audit_text``  the full audit of already-ingested text (segment, detect, score, loopholes);
- ``audit(path)`` the same plus reading and ingesting the file (PDF/DOCX/HTML parsing);
- ``tokenizer``   the bare spaCy tokenizer (``spacy.blank("en").make_doc``) on the same text;

and the ratio audit_text / tokenizer, which should stay at or below 10x. All figures
come from the same process and the same run. Then the CLI start-up table of
``cli_startup.py`` (``--version`` and ``--help`` against a bare Python start). Runs in well
under a minute.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_policies"
LONG_WORDS = 6_000
TARGET_RATIO = 10.0


@dataclass(slots=True)
class Row:
    name: str
    words: int
    audit_text_ms: float
    audit_path_ms: float
    tokenizer_ms: float

    @property
    def ratio(self) -> float:
        return self.audit_text_ms / self.tokenizer_ms if self.tokenizer_ms else float("inf")

    @property
    def ratio_with_ingest(self) -> float:
        return self.audit_path_ms / self.tokenizer_ms if self.tokenizer_ms else float("inf")


def median_ms(fn: Callable[[], object], runs: int, warmup: int) -> float:
    """Median wall time of ``fn`` in milliseconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    gc.collect()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def build_long_policy(texts: list[str], words: int = LONG_WORDS) -> str:
    """A consolidated manual of roughly ``words`` words: the samples' text as numbered
    chapters, repeated with new chapter numbers until long enough, cut at a paragraph."""
    out = [
        "Tri-County Regional Public Safety Consolidated Policy Manual",
        "Chapter 9: Automated License Plate Readers (consolidated from member agencies)",
        "",
    ]
    count = 0
    chapter = 0
    while count < words:
        for text in texts:
            chapter += 1
            out.append(f"9.{chapter} MEMBER AGENCY ADDENDUM {chapter}")
            for paragraph in text.splitlines():
                if count >= words:
                    break
                out.append(paragraph)
                count += len(paragraph.split())
            out.append("")
            if count >= words:
                break
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time audits against the spaCy tokenizer.")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per figure")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first")
    args = parser.parse_args(argv)

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # run from a checkout without installing
    import spacy

    from benchmarks.policy_texts import sample_paths
    from policy_audit import audit, load_rubric
    from policy_audit.ingest import read_document
    from policy_audit.pipeline import audit_text

    started = time.perf_counter()
    load_rubric("core")  # load (and cache) once, so no timed run pays for it
    tokenizer = spacy.blank("en")
    paths = sample_paths()
    sources = {path: read_document(path) for path in paths}

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        long_path = Path(tmp) / "long-consolidated-policy.txt"
        long_path.write_text(build_long_policy([sources[p].text for p in paths]), encoding="utf-8")
        sources[long_path] = read_document(long_path)
        for path in [*paths, long_path]:
            source = sources[path]
            name = (
                path.relative_to(SAMPLES).as_posix()
                if path.is_relative_to(SAMPLES)
                else f"{path.name} (built)"
            )
            rows.append(
                Row(
                    name=name,
                    words=len(source.text.split()),
                    audit_text_ms=median_ms(
                        lambda s=source: audit_text(s, "core"), args.runs, args.warmup
                    ),
                    audit_path_ms=median_ms(
                        lambda p=path: audit(p, rubric="core"), args.runs, args.warmup
                    ),
                    tokenizer_ms=median_ms(
                        lambda t=source.text: tokenizer.make_doc(t), args.runs, args.warmup
                    ),
                )
            )

    print_table(rows, args.runs, args.warmup, time.perf_counter() - started)
    print()
    from cli_startup import report  # benchmarks/cli_startup.py: --version and --help speed

    report(args.runs)
    return 0


def print_table(rows: list[Row], runs: int, warmup: int, elapsed: float) -> None:
    headers = (
        "document",
        "words",
        "audit_text",
        "audit(path)",
        "tokenizer",
        "text/tok",
        "path/tok",
    )
    body = [
        (
            row.name,
            f"{row.words:,}",
            f"{row.audit_text_ms:.1f} ms",
            f"{row.audit_path_ms:.1f} ms",
            f"{row.tokenizer_ms:.2f} ms",
            f"{row.ratio:.1f}x" + (" !" if row.ratio > TARGET_RATIO else ""),
            f"{row.ratio_with_ingest:.1f}x",
        )
        for row in rows
    ]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(headers)]

    def line(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    print(f"median of {runs} runs after {warmup} warm-up runs, one process")
    print(line(headers))
    print("  ".join("-" * width for width in widths))
    for cells in body:
        print(line(cells))
    over = [row.name for row in rows if row.ratio > TARGET_RATIO]
    worst = max(rows, key=lambda row: row.ratio)
    print()
    print(
        f"target: audit_text <= {TARGET_RATIO:.0f}x tokenizer; worst {worst.ratio:.1f}x "
        f"({worst.name}); " + ("all within target" if not over else f"over: {', '.join(over)}")
    )
    print(f"total time {elapsed:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
