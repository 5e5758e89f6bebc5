"""How real policies and the rubric's own model language score, and the grade bands that follow.

    python benchmarks/grade_bands.py [FOLDER ...] [--rubric comprehensive]

Scores every document in the folders (default: the corpus kept beside this repository,
``../shared/corpus``, every set), and one policy written from nothing but the rubric's model
language (every criterion's ``model_language``, as numbered sections). Prints the
distribution of scores and the bands proposed by the rule below, to be copied into the
rubric's ``rubric.toml`` ``[grades]``:

- A starts at the highest multiple of 5 at least a point under the model language's own
  score: a policy that adopts the language the scorecard asks for earns an A.
- C starts at the upper quartile of real policies: the best quarter of policies in use
  today sit in the middle band.
- D starts at the lower quartile: the middle half of real policies.
- F is below that: the worst quarter.
- B starts halfway between C and A: better than any real policy measured, short of the
  model language.

Bands are rounded to whole points. Documents the tool refuses (not about ALPR) are listed
and left out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from policy_audit.errors import PolicyAuditError
from policy_audit.ingest import read_document
from policy_audit.model_policy import model_policy
from policy_audit.pipeline import audit_text
from policy_audit.relevance import screen
from policy_audit.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}


def proposed_bands(real: list[float], model: float) -> dict[str, float]:
    a_floor = float(5 * int((model - 1) // 5))
    lower, _, upper = statistics.quantiles(real, n=4)
    c_floor, d_floor = float(round(upper)), float(round(lower))
    return {"A": a_floor, "B": float(round((c_floor + a_floor) / 2)), "C": c_floor,
            "D": d_floor, "F": 0.0}


def grade(bands: dict[str, float], score: float) -> str:
    return next(letter for letter, floor in sorted(bands.items(), key=lambda b: -b[1])
                if score >= floor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--rubric", default=None)
    args = parser.parse_args(argv)
    rubric = load_rubric(args.rubric)
    documents = sorted(p for folder in args.folders for p in folder.rglob("*")
                       if p.is_file() and p.suffix.lower() in SUFFIXES
                       and p.name.lower() != "readme.md")
    if not documents:
        print(f"no documents in {', '.join(map(str, args.folders))}", file=sys.stderr)
        return 2
    scores: dict[str, float] = {}
    for path in documents:
        try:
            source = read_document(path)
            screen(source)
        except PolicyAuditError as error:
            print(f"  left out: {error}")
            continue
        scores[str(path.relative_to(path.parents[1]))] = audit_text(source, rubric).overall.score
    model = audit_text(model_policy(rubric), rubric).overall.score
    real = sorted(scores.values())
    print(f"rubric {rubric.id} {rubric.version}: {len(real)} real policies, "
          f"current bands {rubric.grades}")
    print(f"model language: {model:g}")
    q = statistics.quantiles(real, n=10)
    lower, median, upper = statistics.quantiles(real, n=4)
    print(f"real policies: min {real[0]:g}, p10 {q[0]:.1f}, p25 {lower:.1f}, "
          f"median {median:.1f}, p75 {upper:.1f}, p90 {q[8]:.1f}, max {real[-1]:g}")
    print("histogram (10-point bins):")
    for low in range(0, 100, 10):
        count = sum(low <= s < low + 10 or (low == 90 and s == 100) for s in real)
        print(f"  {low:>3}-{low + 9:<3} {'#' * count} {count}")
    bands = proposed_bands(real, model)
    print(f"proposed bands: {bands}")
    counts = {letter: 0 for letter in bands}
    for score in real:
        counts[grade(bands, score)] += 1
    print("real policies per proposed grade: "
          + ", ".join(f"{letter} {n}" for letter, n in counts.items())
          + f"; model language: {grade(bands, model)}")
    print("best five:", ", ".join(f"{name} {score:g} ({grade(bands, score)})" for name, score
                                  in sorted(scores.items(), key=lambda kv: -kv[1])[:5]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
