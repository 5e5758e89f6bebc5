"""Measure the 15 non-core criteria of the `comprehensive` rubric against hand labels.

    python benchmarks/eval_comprehensive.py                   # corpus at ../shared/corpus
    python benchmarks/eval_comprehensive.py --corpus PATH     # another corpus folder
    python benchmarks/eval_comprehensive.py --labels FILE     # another labels file

The labels live in ``benchmarks/comprehensive_labels.toml``: one table per corpus file
(its name in ``<corpus>/policies/``), criterion id -> level, and a ``reasons`` sub-table.
Each labelled file is scored with the installed project (``policy_audit.pipeline.audit``,
the same entry point ../shared/tools/eval_corpus.py uses, with the ``comprehensive``
rubric), and for every criterion the script prints:

- exact:      share of files where the engine's level equals the label;
- within-one: share where it is at most one level away (strong/partial/weak/missing);
- false strong: how often the engine says ``strong`` where the label is below strong
  (the costliest mistake: it tells advocates a weak policy is fine);

then a confusion list of every disagreement: file, criterion, label, engine level and the
engine's evidence rule. Exit 0 after printing; exit 2 if the corpus or labels are missing.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_LABELS = Path(__file__).resolve().parent / "comprehensive_labels.toml"
RUBRIC = "comprehensive"
LEVELS = ("strong", "partial", "weak", "missing")
RANK = {level: i for i, level in enumerate(LEVELS)}


def rubric_criteria() -> tuple[str, ...]:
    """The rubric's non-core criteria, from the data (the core four have corpus labels)."""
    from policy_audit.rubric import load_rubric

    return tuple(c.id for c in load_rubric(RUBRIC).criteria if not c.core)


CRITERIA = rubric_criteria()


@dataclass(slots=True)
class Miss:
    file: str
    criterion: str
    label: str
    engine: str
    rule: str
    reason: str


@dataclass(slots=True)
class Tally:
    n: int = 0
    exact: int = 0
    within_one: int = 0
    false_strong: int = 0
    misses: list[Miss] = field(default_factory=list)


def load_labels(path: Path) -> dict[str, dict[str, Any]]:
    """The labels file, checked: every file has a valid level for every criterion."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    for name, table in data.items():
        for cid in labelled(data):
            level = table.get(cid)
            if level not in RANK:
                raise ValueError(f"{path.name}: [{name}] {cid} = {level!r} is not a level")
        unknown = set(table) - set(CRITERIA) - {"reasons"}
        if unknown:
            raise ValueError(f"{path.name}: [{name}] unknown keys {sorted(unknown)}")
    return data


def labelled(labels: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """The rubric's criteria that the labels cover (a new criterion has none yet)."""
    return tuple(cid for cid in CRITERIA if any(cid in table for table in labels.values()))


def engine_rule(criterion: dict[str, Any]) -> str:
    """The criterion's rule, plus the rules of its evidence (which element or loophole)."""
    rules = [criterion.get("rule") or "?"]
    for ev in criterion.get("evidence") or []:
        rule = ev.get("rule")
        if rule and rule not in rules:
            rules.append(rule)
    return ", ".join(rules)


def score_file(path: Path) -> dict[str, dict[str, Any]]:
    """Engine results for one file, keyed by criterion id."""
    from policy_audit.pipeline import audit

    card = audit(path, rubric=RUBRIC).model_dump(mode="json")
    return {c["id"]: c for c in card.get("criteria", [])}


def evaluate(
    labels: dict[str, dict[str, Any]], docs: Path
) -> tuple[dict[str, Tally], list[str], float]:
    tallies = {cid: Tally() for cid in labelled(labels)}
    errors: list[str] = []
    t0 = time.perf_counter()
    for name, table in sorted(labels.items()):
        path = docs / name
        if not path.is_file():
            errors.append(f"{name}: not in {docs}")
            continue
        try:
            results = score_file(path)
        except Exception as exc:  # report and go on: one bad file must not hide the rest
            errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        reasons = table.get("reasons", {})
        for cid in tallies:
            want = table[cid]
            crit = results.get(cid)
            got = crit.get("level") if crit else None
            tally = tallies[cid]
            tally.n += 1
            if got == want:
                tally.exact += 1
            if got in RANK and abs(RANK[got] - RANK[want]) <= 1:
                tally.within_one += 1
            if got == "strong" and want != "strong":
                tally.false_strong += 1
            if got != want:
                tally.misses.append(Miss(
                    file=name, criterion=cid, label=want, engine=str(got),
                    rule=engine_rule(crit) if crit else "criterion absent from scorecard",
                    reason=reasons.get(cid, ""),
                ))
    return tallies, errors, time.perf_counter() - t0


def pct(num: int, den: int) -> str:
    return f"{num / den:6.0%}" if den else "     -"


def report(tallies: dict[str, Tally], files: int, secs: float, verbose: bool) -> None:
    print(f"\n{files} labelled files scored with the '{RUBRIC}' rubric in {secs:.1f} s\n")
    head = f"{'criterion':<24}{'n':>4}{'exact':>8}{'within1':>9}{'false strong':>14}"
    print(head)
    print("-" * len(head))
    total = Tally()
    unlabelled = [cid for cid in CRITERIA if cid not in tallies]
    for cid in tallies:
        t = tallies[cid]
        total.n += t.n
        total.exact += t.exact
        total.within_one += t.within_one
        total.false_strong += t.false_strong
        print(f"{cid:<24}{t.n:>4}{pct(t.exact, t.n):>8}{pct(t.within_one, t.n):>9}"
              f"{t.false_strong:>14}")
    print("-" * len(head))
    print(f"{f'all {len(tallies)}':<24}{total.n:>4}{pct(total.exact, total.n):>8}"
          f"{pct(total.within_one, total.n):>9}{total.false_strong:>14}")

    if unlabelled:
        print(f"Not measured (no labels yet): {', '.join(unlabelled)}")
    misses = [m for cid in tallies for m in tallies[cid].misses]
    print(f"\nDisagreements ({len(misses)}): file | criterion | label -> engine | engine rule")
    for m in sorted(misses, key=lambda m: (m.criterion, m.file)):
        print(f"  {m.file} | {m.criterion} | {m.label} -> {m.engine} | {m.rule}")
        if verbose and m.reason:
            print(f"      label reason: {m.reason}")


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help="corpus folder holding policies/ (default: ../shared/corpus)")
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS,
                    help="labels TOML (default: benchmarks/comprehensive_labels.toml)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also print the label's reason under each disagreement")
    args = ap.parse_args(list(argv) if argv is not None else None)

    docs = args.corpus / "policies"
    if not docs.is_dir():
        print(f"No corpus at {args.corpus} (expected a policies/ folder there); "
              "pass --corpus PATH.", file=sys.stderr)
        return 2
    if not args.labels.is_file():
        print(f"No labels file at {args.labels}.", file=sys.stderr)
        return 2
    try:
        labels = load_labels(args.labels)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"Bad labels file: {exc}", file=sys.stderr)
        return 2
    try:
        import policy_audit.pipeline  # noqa: F401
    except ImportError as exc:
        print(f"policy_audit is not installed in this environment: {exc}", file=sys.stderr)
        return 2

    tallies, errors, secs = evaluate(labels, docs)
    for err in errors:
        print(f"ERROR {err}")
    report(tallies, len(labels) - len(errors), secs, args.verbose)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        sys.exit(0)
