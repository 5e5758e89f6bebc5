"""Comparison → terminal text, Markdown, standalone HTML, or JSON.

The criteria table with its arrows comes first (what a council asks: better or worse?),
then each step's redline. Unchanged sections collapse to one line; long unchanged stretches
inside a changed section are shortened to their first and last words.
"""

from __future__ import annotations

import functools
import re
import textwrap

from jinja2 import Environment
from markupsafe import Markup

from ..report.common import LEVEL_LABELS, days_text
from ..report.html_report import templates
from .models import Comparison, CriterionAtVersion, DiffRun, SectionChange, Step

FORMATS: tuple[str, ...] = ("text", "json", "markdown", "html")
ARROWS = {"improved": "▲", "regressed": "▼", "unchanged": "="}
WIDTH = 100
KEEP_WORDS = 12  # of a long unchanged stretch, this many words either side stay visible
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def render(comparison: Comparison, fmt: str) -> str:
    if fmt == "json":
        return comparison.model_dump_json(indent=2) + "\n"
    if fmt == "text":
        return render_text(comparison)
    if fmt == "markdown":
        return render_markdown(comparison)
    if fmt == "html":
        return render_html(comparison)
    raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- shared


def shorten(run: DiffRun, keep: int = KEEP_WORDS) -> str:
    """An unchanged run of more than 2 × keep + 4 words, as its ends around "…"."""
    words = run.text.split(" ")
    if run.op != "equal" or len(words) <= 2 * keep + 4:
        return run.text
    return " ".join(words[: keep + 1]) + " … " + " ".join(words[-keep:])


def collapsed(sections: list[SectionChange]) -> list[SectionChange | list[SectionChange]]:
    """Runs of unchanged, unmoved sections grouped into lists (shown as one line)."""
    out: list[SectionChange | list[SectionChange]] = []
    for section in sections:
        quiet = section.status == "unchanged" and not section.moved
        if quiet and out and isinstance(out[-1], list):
            out[-1].append(section)
        elif quiet:
            out.append([section])
        else:
            out.append(section)
    return out


def section_label(section: SectionChange) -> str:
    ref = section.new or section.old
    assert ref is not None
    title = f"§ {ref.number} {ref.title}" if ref.number else ref.title
    notes: list[str] = [section.status]
    if section.moved:
        notes.append("moved")
    if section.renumbered and section.old and section.new:
        notes.append(f"renumbered from § {section.old.number or '(none)'}")
    if section.status == "deleted" and ref.page:
        notes.append(f"was p. {ref.page}")
    return f"{title} ({', '.join(notes)})"


def reading(at: CriterionAtVersion) -> str:
    return f"{LEVEL_LABELS[at.level]} {at.score:g}"


def quote_of(at: CriterionAtVersion) -> str:
    if at.quote is None:
        return "(the policy says nothing on this)"
    where = f" [{section_name(at.quote.section)}]" if at.quote.section else ""
    return f"“{' '.join(at.quote.text.split())}”{where}"


def section_name(heading: str) -> str:
    """ "§ 462.6 RETENTION" for a numbered heading, "Section 4. Data Retention" as is."""
    return f"§ {heading}" if heading[:1].isdigit() else heading


def version_names(comparison: Comparison) -> list[str]:
    return [f"v{v.index + 1} {v.name}" for v in comparison.versions]


# --------------------------------------------------------------------------- text


def render_text(comparison: Comparison) -> str:
    out: list[str] = []
    names = version_names(comparison)
    if comparison.kind == "model":
        return _model_text(comparison)
    out.append(_title(comparison))
    out.append(f"rubric {comparison.rubric.id} {comparison.rubric.version}"
               + (f"   state law: {comparison.jurisdiction}" if comparison.jurisdiction else ""))
    overall = comparison.overall
    out.append("Overall  " + " → ".join(f"{s:g} ({g})" for s, g in zip(
        overall.scores, overall.grades, strict=True))
        + f"   {ARROWS[overall.change]} {overall.change} ({overall.delta:+g} points)")
    out.append("Non-hit retention  " + " → ".join(days_text(d) for d in comparison.retention_days))
    out += [f"WARNING: {w}" for w in comparison.warnings]
    out.append("")
    room = WIDTH - 4 - 15 * len(names) - 14  # what the levels and the change take
    width = max(24, min(room, max(9, *(len(c.title) for c in comparison.criteria))))
    out.append(f"{'Criterion':<{width}}    " + " → ".join(f"v{i + 1}" for i in range(
        len(names))))
    out.append("-" * WIDTH)
    for c in comparison.criteria:
        levels = " → ".join(reading(at) for at in c.versions)
        out.append(f"{_clip(c.title, width):<{width}}  {ARROWS[c.change]} {levels}  ({c.change})")
    for c in comparison.criteria:
        if c.change == "unchanged" and not any(s.wording_changed for s in c.steps):
            continue
        out.append("")
        out.append(f"== {c.title}: {ARROWS[c.change]} {c.change}")
        for index, at in enumerate(c.versions):
            out += textwrap.wrap(f"v{index + 1} {reading(at)}: {quote_of(at)}", WIDTH,
                                 initial_indent="  ", subsequent_indent="      ")
        for change in c.steps:
            if change.touched_by:
                out += textwrap.wrap(f"v{change.from_version + 1}→v{change.to_version + 1} "
                                     f"edited: {'; '.join(change.touched_by)}", WIDTH,
                                     initial_indent="  ! ", subsequent_indent="    ")
    for step in comparison.steps:
        out += _step_text(step, names)
    return "\n".join(out) + "\n"


def _step_text(step: Step, names: list[str]) -> list[str]:
    out = ["", f"=== Changes {names[step.from_version]} → {names[step.to_version]}: "
           f"{step.overall_delta:+g} points; " + ", ".join(
               f"{n} {k}" for k, n in step.counts.items() if n)]
    for title, items in (("New conflicts", step.conflicts_new),
                         ("Resolved conflicts", step.conflicts_resolved)):
        for conflict in items:
            out += textwrap.wrap(f"{title} ({conflict.criterion}): {conflict.description}", WIDTH,
                                 initial_indent="  ", subsequent_indent="    ")
    for title, loopholes in (("New loophole", step.loopholes_new),
                             ("Loophole removed", step.loopholes_resolved)):
        for loophole in loopholes:
            out += textwrap.wrap(f"{title}: {loophole.title} ({loophole.criterion})", WIDTH,
                                 initial_indent="  ", subsequent_indent="    ")
    for legal in step.legal_changes:
        out += textwrap.wrap(f"State law {legal.statute}: {legal.before or 'not checked'} → "
                             f"{legal.after or 'not checked'}: {legal.message}", WIDTH,
                             initial_indent="  ", subsequent_indent="    ")
    if any(section.diff for section in step.sections):
        out.append("Legend: [-deleted-] {+inserted+}")
    for item in collapsed(step.sections):
        if isinstance(item, list):
            titles = ", ".join(section_label(s).removesuffix(" (unchanged)") for s in item)
            out += textwrap.wrap(f"… {len(item)} unchanged section{'s' * (len(item) > 1)}: "
                                 f"{titles}", WIDTH, initial_indent="  ",
                                 subsequent_indent="    ")
            continue
        out.append("")
        affects = f"  [affects: {', '.join(item.affects)}]" if item.affects else ""
        out.append(f"--- {section_label(item)}{affects}")
        body = "".join(_text_run(run) for run in item.diff).strip()
        out += textwrap.wrap(body, WIDTH, initial_indent="  ", subsequent_indent="  ",
                             break_on_hyphens=False) or ["  (same words)"]
    return out


def _text_run(run: DiffRun) -> str:
    text = shorten(run)
    if run.op == "equal":
        return text
    lead = " " if text.startswith(" ") else ""
    marks = ("[-", "-]") if run.op == "delete" else ("{+", "+}")
    return f"{lead}{marks[0]}{text.strip()}{marks[1]}"


def _model_text(comparison: Comparison) -> str:
    version = comparison.versions[0]
    out = [f"{version.name} against the model language of rubric {comparison.rubric.id} "
           f"{comparison.rubric.version}",
           f"Overall {version.overall.score:g} ({version.overall.grade}); non-hit retention: "
           f"{days_text(version.retention_days)}", "Legend: [-deleted-] {+inserted+}"]
    if not comparison.model:
        out.append("Every criterion is already strong.")
    for gap in comparison.model:
        out += ["", f"== {gap.title}: {LEVEL_LABELS[gap.level]} → Strong"]
        now = (f"“{' '.join(gap.quote.text.split())}”" if gap.quote
               else "(the policy says nothing on this)")
        out += textwrap.wrap(f"Now: {now}", WIDTH, initial_indent="  ", subsequent_indent="    ")
        body = "".join(_text_run(run) for run in gap.diff).strip()
        out += textwrap.wrap(f"To reach strong: {body}", WIDTH, initial_indent="  ",
                             subsequent_indent="    ", break_on_hyphens=False)
    return "\n".join(out) + "\n"


def _title(comparison: Comparison) -> str:
    names = version_names(comparison)
    if comparison.steps_from == "first" and len(names) > 2:
        return f"Comparing {', '.join(names[1:])} each with {names[0]}"
    return "Comparing " + " → ".join(names)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- markdown


def md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(comparison: Comparison) -> str:
    names = version_names(comparison)
    if comparison.kind == "model":
        return _model_markdown(comparison)
    overall = comparison.overall
    scores = " → ".join(f"{s:g} ({g})" for s, g in zip(overall.scores, overall.grades,
                                                         strict=True))
    out = [f"# {md(_title(comparison))}", "",
           f"Rubric `{comparison.rubric.id}` {comparison.rubric.version}"
           + (f" · state law {comparison.jurisdiction}" if comparison.jurisdiction else ""), "",
           f"**Overall: {scores}** {ARROWS[overall.change]} {overall.change} "
           f"({overall.delta:+g} points) · "
           f"retention of non-hit data: "
           f"{' → '.join(days_text(d) for d in comparison.retention_days)}", ""]
    out += [f"> Warning: {md(w)}" for w in comparison.warnings]
    header = "| Criterion | " + " | ".join(f"v{i + 1}" for i in range(len(names))) + " | Change |"
    out += [header, "|---" * (len(names) + 2) + "|"]
    for c in comparison.criteria:
        cells = " | ".join(reading(at) for at in c.versions)
        out.append(f"| {md(c.title)} | {cells} | {ARROWS[c.change]} {c.change} |")
    for c in comparison.criteria:
        if c.change == "unchanged" and not any(s.wording_changed for s in c.steps):
            continue
        out += ["", f"### {md(c.title)}: {ARROWS[c.change]} {c.change}", ""]
        for index, at in enumerate(c.versions):
            out.append(f"- **v{index + 1}, {reading(at)}:** {md(quote_of(at))}")
        for change in c.steps:
            if change.touched_by:
                out.append(f"- *Edited v{change.from_version + 1}→v{change.to_version + 1}:* "
                           f"{md('; '.join(change.touched_by))}")
    for step in comparison.steps:
        out += ["", f"## Changes {md(names[step.from_version])} → {md(names[step.to_version])}",
                "", f"{step.overall_delta:+g} points; " + ", ".join(
                    f"{n} {k}" for k, n in step.counts.items() if n)
                + ". Deleted words ~~struck through~~, inserted words in **bold**.", ""]
        for title, items in (("New conflict", step.conflicts_new),
                             ("Resolved conflict", step.conflicts_resolved)):
            out += [f"- {title} ({md(i.criterion)}): {md(i.description)}" for i in items]
        for title, loopholes in (("New loophole", step.loopholes_new),
                                 ("Loophole removed", step.loopholes_resolved)):
            out += [f"- {title}: {md(i.title)} ({md(i.criterion)})" for i in loopholes]
        out += [f"- State law {md(g.statute)}: {g.before or 'not checked'} → "
                f"{g.after or 'not checked'}: {md(g.message)}" for g in step.legal_changes]
        for item in collapsed(step.sections):
            if isinstance(item, list):
                titles = ", ".join(md(section_label(s).removesuffix(" (unchanged)"))
                                   for s in item)
                out += ["", f"*… {len(item)} unchanged section{'s' * (len(item) > 1)}: "
                        f"{titles}*"]
                continue
            affects = (f" · affects {', '.join(md(a) for a in item.affects)}"
                       if item.affects else "")
            out += ["", f"#### {md(section_label(item))}{affects}", "",
                    "".join(_md_run(run) for run in item.diff).strip() or "(same words)"]
    return "\n".join(out) + "\n"


def _md_run(run: DiffRun) -> str:
    text = shorten(run)
    if run.op == "equal":
        return md(text) if text.strip() else text
    lead = " " if text.startswith(" ") else ""
    mark = "~~" if run.op == "delete" else "**"
    return f"{lead}{mark}{md(text)}{mark}"


def _model_markdown(comparison: Comparison) -> str:
    version = comparison.versions[0]
    out = [f"# {md(version.name)} against the model language", "",
           f"Rubric `{comparison.rubric.id}` {comparison.rubric.version} · overall "
           f"{version.overall.score:g} ({version.overall.grade}). Words to strike "
           "~~struck through~~, words to add in **bold**.", ""]
    if not comparison.model:
        out.append("Every criterion is already strong.")
    for gap in comparison.model:
        now = md(f"“{' '.join(gap.quote.text.split())}”") if gap.quote else \
            "*the policy says nothing on this*"
        out += [f"## {md(gap.title)}: {LEVEL_LABELS[gap.level]} → Strong", "",
                f"Now: {now}", "",
                "To reach strong: " + "".join(_md_run(r) for r in gap.diff).strip(), ""]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- html


@functools.cache
def environment() -> Environment:
    env = templates("policy_audit.compare")
    env.globals.update(level_label=lambda level: LEVEL_LABELS[level], days_text=days_text,
                       arrows=ARROWS, collapsed=collapsed, section_label=section_label,
                       shorten=shorten, reading=reading, version_names=version_names,
                       section_name=section_name, title=_title,
                       is_group=lambda item: isinstance(item, list))
    return env


def render_html_body(comparison: Comparison, *, links: bool = False) -> Markup:
    """The comparison as an HTML fragment (escaped), for the web page to embed.
    ``links``: version names link to their saved audits' pages."""
    html = environment().get_template("comparison_body.html.j2").render(
        cmp=comparison, links=links)
    return Markup(html)  # rendered by an autoescaping environment


def render_html(comparison: Comparison) -> str:
    """A standalone page: inline styles, no scripts, prints cleanly."""
    return environment().get_template("comparison.html.j2").render(
        cmp=comparison, body=render_html_body(comparison))
