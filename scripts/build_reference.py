"""Regenerate policy_audit/data/reference.json: the figures of scored real policies.

    python scripts/build_reference.py PATH/TO/corpus

Scores every agency policy and transparency page of the corpus (not statutes, model
guidelines or contracts) with the ``core`` and ``comprehensive`` rubrics, one document per
agency (its own policy before a vendor page, the latest first), and writes only figures:
levels, overall scores, retention days, the agency and a link to the source. No sentence of
a document is written. The engine's reading is recorded (not the hand labels), so that a
policy placed among these peers is read by the same reader; on these documents the engine
agrees with the hand labels on every core criterion (README, "Accuracy").
"""

from __future__ import annotations

import argparse
import csv
import json
from datetime import date
from pathlib import Path

from policy_audit.ingest import read_document
from policy_audit.pipeline import audit_text
from policy_audit.rubric import load_rubric

TARGET = Path(__file__).resolve().parent.parent / "policy_audit" / "data" / "reference.json"
KEEP_KINDS = {"policy", "vendor"}
NOT_POLICIES = {"ca-san-mateo-pd-flock-services-agreement.txt"}  # a contract, not a policy


def _url(repo: str, path: str, commit: str) -> str | None:
    if not repo or not path:
        return None
    return f"https://github.com/{repo}/blob/{commit or 'HEAD'}/{path}"


def candidates(corpus: Path) -> list[dict]:
    rows = []
    for row in csv.DictReader((corpus / "sources.csv").open(encoding="utf-8")):
        name = Path(row["file"]).name
        if row["kind"] not in KEEP_KINDS or name in NOT_POLICIES:
            continue
        year = row.get("year_if_known") or ""
        rows.append({"file": corpus / row["file"], "agency": row["agency"],
                     "state": row["state"], "kind": row["kind"],
                     "year": int(year) if year.isdigit() else None,
                     "source": _url(row["repo"], row["path"], row["commit_if_known"])})
    for row in csv.DictReader((corpus / "portals-2026-sources.csv").open(encoding="utf-8")):
        rows.append({"file": corpus / "portals-2026" / row["file"], "agency": row["agency"],
                     "state": row["state"], "kind": "vendor", "year": 2026,
                     "source": _url(row["repo"], row["path"], row["commit"])})
    # One document per agency: its own policy before a vendor page, then the latest.
    rows.sort(key=lambda r: (r["agency"], r["kind"] != "policy", -(r["year"] or 0)))
    chosen: dict[str, dict] = {}
    for row in rows:
        key = row["agency"].split("(")[0].strip().lower()
        chosen.setdefault(key, row)
    return sorted(chosen.values(), key=lambda r: Path(r["file"]).stem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args()
    rubrics = {name: load_rubric(name) for name in ("core", "comprehensive")}
    policies = []
    for row in candidates(args.corpus):
        source = read_document(row["file"])
        cards = {name: audit_text(source, rubric) for name, rubric in rubrics.items()}
        full = cards["comprehensive"]
        policies.append({
            "id": Path(row["file"]).stem, "agency": row["agency"], "state": row["state"],
            "kind": row["kind"], "year": row["year"], "source": row["source"],
            "retention_days": full.facts.retention_days,
            "levels": {c.id: c.level.value for c in full.criteria},
            "overall": {name: card.overall.score for name, card in cards.items()},
        })
        print(f"{policies[-1]['id']}: {full.overall.score} "
              f"{[c.level.value for c in full.criteria[:4]]}")
    reference = {
        "description": f"{len(policies)} real ALPR policies and transparency pages from "
        f"{len({p['state'] for p in policies})} states, scored by policy-audit (figures only)",
        "generated": date.today().isoformat(),
        "rubrics": {name: rubric.version for name, rubric in rubrics.items()},
        "policies": policies,
    }
    args.output.write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(policies)} policies to {args.output}")


if __name__ == "__main__":
    main()
