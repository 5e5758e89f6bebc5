"""Scorecard → a plain report for the terminal (fits 100 columns, no colour codes).

The brief first (grade, what to ask for, state-law violations), then one line per criterion,
then each criterion in full.
"""

from __future__ import annotations

import textwrap

from ..models import Scorecard
from .brief import build_brief, finding_sentence, people_quotes, plain_explanation, where
from .common import LEVEL_LABELS

WIDTH = 100


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=first,
                         subsequent_indent=rest or " " * len(first))


def render(card: Scorecard) -> str:
    brief = build_brief(card)
    about = [brief.document if brief.agency_found else "", brief.pages,
             f"{brief.rubric} rubric"]
    out = [_clip(f"{brief.agency}: ALPR policy scorecard", WIDTH),
           _clip(" · ".join(a for a in about if a), WIDTH)]
    out += _wrap(f"Overall {card.overall.score:g}/100  grade {brief.grade}"
                 + (f": {brief.meaning}" if brief.meaning else ""))
    out += [line for note in brief.grade_notes for line in _wrap(note)]
    out.append(f"Plate data on drivers not suspected of anything is kept: {brief.retention}")
    out += [line for w in brief.warnings for line in _wrap(w, "WARNING: ")]
    if brief.asks:
        out += ["", "What to ask for (largest gain first):"]
        for number, ask in enumerate(brief.asks, start=1):
            out += _wrap(f"{ask.title} (now {ask.level_label.lower()}; +{ask.points:g} "
                         f"points). {ask.ask}", f"  {number}. ")
    if brief.jurisdiction and brief.violations:
        out += ["", f"Breaks {brief.jurisdiction} state law:"]
        for v in brief.violations:
            out += _wrap(f"{v.statute}: {v.requirement}", "  - ")
    out.append("")
    title_width = min(max([9, *(len(c.title) for c in card.criteria)]), 40)
    header = f"{'Criterion':<{title_width}}  {'Level':<8} Evidence"
    out += [header, "-" * min(WIDTH, len(header) + 60)]
    snippet_width = WIDTH - title_width - 11
    for c in card.criteria:
        quotes = people_quotes(c.evidence)
        first = quotes[0].text if quotes else "(not found)"
        out.append(f"{_clip(c.title, title_width):<{title_width}}  {LEVEL_LABELS[c.level]:<8} "
                   f"{_clip(first, snippet_width)}")
    for c in card.criteria:
        out.append("")
        out += _wrap(f"== {c.title}: {LEVEL_LABELS[c.level]}", "", "   ")
        out += _wrap(plain_explanation(c.explanation) or finding_sentence(c))
        for evidence in people_quotes(c.evidence):
            location = where(evidence, card)
            out += _wrap(f"“{evidence.text}”" + (f" [{location}]" if location else ""),
                         "  > ", "    ")
        for conflict in c.conflicts:
            out += _wrap(f"Conflict: {conflict.description}", "  ! ", "    ")
        if c.level.value != "strong":
            out += _wrap(f"To reach strong: {c.recommendation}", "  + ", "    ")
    if card.jurisdiction:
        out += ["", f"== State law: {card.jurisdiction}"]
        for finding in card.legal_findings:
            out += _wrap(finding.message, "  ", "    ")
    if card.loopholes:
        titles = {c.id: c.title for c in card.criteria}
        out += ["", "== Loopholes"]
        for loophole in card.loopholes:
            quote = " ".join(loophole.evidence[0].text.split())
            weakens = titles.get(loophole.criterion, loophole.criterion)
            out += _wrap(f"{loophole.title} (weakens “{weakens}”): “{quote}”", "  ", "    ")
    return "\n".join(out) + "\n"
