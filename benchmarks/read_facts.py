"""How often are the facts a page states plainly actually read? Works on unlabelled documents.

    python benchmarks/read_facts.py FOLDER [FOLDER ...] [--show-misses]

Every new layout should be measured, not eyeballed. This script needs no labels: it spots,
with deliberately simple text heuristics that are independent of the engine's own rules,
the facts a page states in a structured way, then checks that the scorecard used them:

- a retention period: a line about retention/deletion with a period on it or on one of the
  next two lines  ->  ``facts.retention_days`` is set;
- an outbound access list: a line naming organisations or agencies granted access to (or
  shared) data, followed by a list (three or more short lines, or a line of 3+ commas)
  ->  the ``sharing`` evidence quotes that line;
- a usage figure: a line naming searches, hits, detections, reads or queries, with a bare
  number on one of the next two lines  ->  the ``reporting`` evidence quotes a figure.

It also runs the scorecard consistency checks (``policy_audit.consistency``) on every
document: verbatim quotes, loopholes named and listed, no recommendation for a found
element. Prints one line per fact kind with "read / stated" and the consistency problems.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from policy_audit.consistency import problems
from policy_audit.errors import PolicyAuditError
from policy_audit.ingest import read_document
from policy_audit.pipeline import audit_text
from policy_audit.rubric import load_rubric

SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}
_RETENTION = re.compile(r"(?i)\b(?:retention|retained|retain|deleted|purged|kept)\b")
_PERIOD = re.compile(r"(?i)\b\d{1,4}\s*(?:days?|months?|years?|hours?)\b")
_ACCESS = re.compile(r"(?i)\b(?:organi[sz]ations?|agencies|entities|partners)\b.{0,60}"
                     r"\b(?:access|shares?|shared|sharing)\b|\b(?:sharing|shared)\b.{0,40}\bwith\b")
_INBOUND = re.compile(r"(?i)\btheir\s+data\b|\breceiv\w*\b|\bfrom\b")
_USAGE = re.compile(r"(?i)\b(?:searches|search\s+sessions|hits|detected|detections|reads|"
                    r"queries|plates\s+read)\b")
_SECTION = re.compile(r"^\s*(?:#|\d+(?:\.\d+)*\s)")  # a section heading, not a list label
_NUMBER = re.compile(r"^\s*\d[\d,]*\s*$")
_NAME = re.compile(r"^\s*(?:\[\w+\]\s*)?[A-Z][^.;:]*$")  # "Springfield PD", "[Federal] FBI"


def stated_facts(text: str) -> dict[str, list[tuple[int, int]]]:
    """Character spans of the lines that state each kind of fact."""
    lines, position = [], 0
    for raw in text.split("\n"):
        lines.append((position, raw))
        position += len(raw) + 1
    facts: dict[str, list[tuple[int, int]]] = {"retention": [], "access_list": [], "usage": []}
    for index, (start, line) in enumerate(lines):
        after = [raw for _, raw in lines[index + 1 : index + 4] if raw.strip()]
        span = (start, start + len(line))
        if len(line) < 200 and _RETENTION.search(line) and (
            _PERIOD.search(line) or any(_PERIOD.search(a) and len(a) < 40 for a in after[:2])
        ):
            facts["retention"].append(span)
        if (len(line.split()) <= 12 and _ACCESS.search(line) and not _INBOUND.search(line)
                and not _SECTION.match(line)):
            following = [raw for _, raw in lines[index + 1 : index + 8] if raw.strip()]
            short = [raw for raw in following if len(raw.split()) <= 8 and _NAME.match(raw)]
            if len(short) >= 5 or any(raw.count(",") >= 3 for raw in following[:2]):
                facts["access_list"].append(span)
        if len(line) < 120 and _USAGE.search(line) and any(_NUMBER.match(a) for a in after[:2]):
            facts["usage"].append(span)
    return facts


def _quoted(card_criterion, spans: list[tuple[int, int]]) -> bool:
    return any(e.start <= end and start <= e.end for e in card_criterion.evidence
               for start, end in spans)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--show-misses", action="store_true", help="name each missed fact")
    args = parser.parse_args()
    rubric = load_rubric(None)
    stated = {"retention": 0, "access_list": 0, "usage": 0}
    read = dict.fromkeys(stated, 0)
    documents, inconsistent = 0, []
    for folder in args.folders:
        for path in sorted(p for p in folder.rglob("*")
                           if p.suffix.lower() in SUFFIXES and p.stem.upper() != "README"):
            try:
                source = read_document(path)
                card = audit_text(source, rubric)
            except PolicyAuditError as exc:
                print(f"skipped {path.name}: {exc}", file=sys.stderr)
                continue
            documents += 1
            facts = stated_facts(source.text)
            checks = {
                "retention": card.facts.retention_days is not None,
                "access_list": _quoted(card.criterion("sharing"), facts["access_list"]),
                "usage": _quoted(card.criterion("reporting"), facts["usage"]),
            }
            for kind, spans in facts.items():
                if spans:
                    stated[kind] += 1
                    read[kind] += checks[kind]
                    if args.show_misses and not checks[kind]:
                        print(f"  missed {kind} in {path.name}")
            inconsistent += [f"{path.name}: {p}" for p in problems(card, source.text, rubric)]
    print(f"{documents} documents")
    for kind in stated:
        share = f"{read[kind] / stated[kind]:.0%}" if stated[kind] else "-"
        print(f"  {kind:<12} read {read[kind]:>3} / stated {stated[kind]:>3}  ({share})")
    print(f"  consistency problems: {len(inconsistent)}")
    for problem in inconsistent[:50]:
        print(f"    {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
