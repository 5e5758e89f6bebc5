"""Documentation generated from rubric data, so counts and lists never drift from it.

``rubric_markdown`` renders a whole rubric (``policy-audit rubric --format markdown``);
``readme_summary`` is the paragraph the README's Rubrics section carries between its
``generated`` markers (``python scripts/gen_docs.py`` rewrites them; a test fails when they
are stale).
"""

from __future__ import annotations

from collections.abc import Sequence

from .jurisdiction import available
from .loopholes import library
from .rubric import Criterion, Rubric, list_rubrics, load_rubric


def rubric_markdown(rubric: Rubric) -> str:
    lines = [f"# {rubric.title} (`{rubric.id}` {rubric.version})", "", rubric.description, ""]
    lines += ["## Grades", ""]
    bands = sorted(rubric.grades.items(), key=lambda band: -band[1])
    lines += [f"- **{grade}** from {floor:g}: {rubric.grade_meaning(grade)}"
              for grade, floor in bands]
    lines.append("")
    for c in rubric.criteria:
        lines += [f"## {c.title} (`{c.id}`, weight {c.weight:g})", "", f"*{c.question}*", ""]
        lines += [f"- **{level.value}** ({spec.score:g}): {spec.meaning}"
                  for level, spec in c.levels.items()]
        lines += ["", f"Why it matters: {c.why.strip()}", "",
                  f"Model language: {c.model_language.strip()}", ""]
        lines += [f"- {cit.title}, {cit.source}" + (f" <{cit.url}>" if cit.url else "")
                  for cit in c.citations]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def readme_summary() -> str:
    default = load_rubric()

    def ids(criteria: Sequence[Criterion]) -> str:
        return ", ".join(f"`{c.id}`" for c in criteria)

    lines = ["Shipped rubrics:", ""]
    for rubric in [default, *(r for r in list_rubrics() if r.id != default.id)]:
        core = [c for c in rubric.criteria if c.core]
        extra = [c for c in rubric.criteria if not c.core]
        label = " (the default)" if rubric is default else f" (`--rubric {rubric.id}`)"
        line = (f"- `{rubric.id}`{label}, version {rubric.version}: {len(rubric.criteria)} "
                f"criteria, the {len(core)} core ({ids(core)})")
        lines.append(line + (f" and {len(extra)} more ({ids(extra)})." if extra else "."))
    states = available()
    lines += ["", f"State law: {len(states)} states ("
              + ", ".join(code.upper() for code in states)
              + f"). Named loopholes: {len(library())}."]
    return "\n".join(lines)


START, END = "<!-- generated: rubric summary -->", "<!-- end generated -->"


def with_summary(readme: str) -> str:
    """The README with the text between its markers replaced by ``readme_summary()``."""
    head, found, rest = readme.partition(START)
    if not found or END not in rest:
        raise ValueError(f"README.md needs the markers {START} and {END}")
    return f"{head}{START}\n{readme_summary()}\n{END}{rest.partition(END)[2]}"
