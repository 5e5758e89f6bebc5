"""Regenerate the documentation that comes from rubric data.

    python scripts/gen_docs.py          # rewrite README.md's summary and rubric/CRITERIA.md
    python scripts/gen_docs.py --check  # exit 1 if either is stale (the tests do this too)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from policy_audit.rubric import load_rubric
from policy_audit.rubric_docs import rubric_markdown, with_summary

ROOT = Path(__file__).resolve().parent.parent


def expected() -> dict[Path, str]:
    readme = ROOT / "README.md"
    return {
        readme: with_summary(readme.read_text(encoding="utf-8")),
        ROOT / "rubric" / "CRITERIA.md": rubric_markdown(load_rubric("comprehensive")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args()
    stale = [path for path, text in expected().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run python scripts/gen_docs.py")
        return 1 if stale else 0
    for path, text in expected().items():
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
