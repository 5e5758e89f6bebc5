"""How fast, and how right, is the section-aligned redline on a long policy?

    python benchmarks/bench_compare.py [--runs 7] [OLD NEW]

Builds a ~6,000-word, 40-section policy from a fixed vocabulary (seeded, so every run is
the same), in which several sections share boilerplate sentences, and a version B that
inserts a section near the top (every later number shifts), moves one, deletes one and
edits two. Prints the median milliseconds (after a warm-up) of cutting both into sections,
the similarity matrix (rapidfuzz ``cdist``), the alignment, and the whole redline with word
diffs, and what the alignment recovered against what was done. With OLD NEW (two files),
also times the redline of their extracted texts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from policy_audit.compare.align import align, similarity_matrix
from policy_audit.compare.redline import redline
from policy_audit.compare.sections import sections_of

WORDS = ("data plate reader officer agency record search audit retain delete share "
         "request approve supervisor vehicle camera system access report public case "
         "investigation hit alert list review purpose training log vendor warrant court "
         "policy department chief captain quarterly annual days months written").split()
BOILERPLATE = ("This section applies to every member of the Department and to every "
               "contractor who operates the system on its behalf.")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    return " ".join(words).capitalize() + "."


def section_body(rng: random.Random, index: int) -> str:
    sentences = [sentence(rng) for _ in range(rng.randint(6, 10))]
    if index % 5 == 0:
        sentences.insert(0, BOILERPLATE)  # shared wording: the greedy-matching trap
    return " ".join(sentences)


def build(runs: int) -> None:
    rng = random.Random(462)
    sections = [(f"Topic {chr(65 + i // 26)}{i % 26}", section_body(rng, i)) for i in range(40)]
    inserted = ("Inserted Rules", section_body(rng, 1))
    b = list(sections)
    b.insert(2, inserted)  # every later number shifts
    moved = b.pop(30)
    b.insert(10, moved)  # one section moved up
    deleted = b.pop(20)
    for at in (5, 25):  # two edited
        title, body = b[at]
        b[at] = (title, body.replace(" data ", " stored data ", 2) + " " + sentence(rng))

    def text(items: list[tuple[str, str]]) -> str:
        return "\n".join(f"{n}.{1} {title.upper()}\n{body}" for n, (title, body) in
                         enumerate(items, start=1))

    old, new = text(sections), text(b)
    print(f"policy: {len(old.split()):,} words, {len(sections)} sections; version B inserts "
          f"'{inserted[0]}', moves '{moved[0]}', deletes '{deleted[0]}', edits "
          f"'{b[5][0]}' and '{b[25][0]}'")
    old_sections, new_sections = sections_of(old), sections_of(new)
    timings = {
        "cut into sections (both)": lambda: (sections_of(old), sections_of(new)),
        "similarity matrix (cdist)": lambda: similarity_matrix(old_sections, new_sections),
        "alignment (all rounds)": lambda: align(old_sections, new_sections),
        "whole redline, word diffs": lambda: redline(old, new),
    }
    for name, call in timings.items():
        print(f"  {name:<28} {median_ms(call, runs):8.1f} ms")
    changes = [change for change, _ in redline(old, new)]
    found = {status: [(c.new or c.old).title for c in changes if c.status == status]
             for status in ("inserted", "deleted", "changed")}
    found["moved"] = [(c.new or c.old).title for c in changes if c.moved]
    expected = {"inserted": [inserted[0].upper()], "deleted": [deleted[0].upper()],
                "changed": sorted([b[5][0].upper(), b[25][0].upper()]),
                "moved": [moved[0].upper()]}
    for status in expected:
        got = sorted(found[status])
        mark = "ok" if got == sorted(expected[status]) else "MISMATCH"
        print(f"  {status:<9} expected {sorted(expected[status])} found {got}  {mark}")
    unchanged = sum(c.status == "unchanged" and not c.moved for c in changes)
    print(f"  unchanged {unchanged} (expected {len(sections) - 4})")


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def files(old_path: str, new_path: str, runs: int) -> None:
    from policy_audit.ingest import read_document

    old, new = read_document(old_path).text, read_document(new_path).text
    print(f"{old_path} → {new_path}: {len(old.split()):,} → {len(new.split()):,} words")
    print(f"  whole redline, word diffs   {median_ms(lambda: redline(old, new), runs):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("paths", nargs="*", metavar="FILE")
    args = parser.parse_args()
    build(args.runs)
    if len(args.paths) == 2:
        files(args.paths[0], args.paths[1], args.runs)


if __name__ == "__main__":
    main()
