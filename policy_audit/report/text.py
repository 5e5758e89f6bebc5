"""Scorecard → a plain table for the terminal (fits 100 columns, no colour codes)."""

from __future__ import annotations

import textwrap

from ..models import Scorecard
from .common import LEVEL_LABELS, days_text, where

WIDTH = 100


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(card: Scorecard) -> str:
    doc = card.document
    out = [
        f"{doc.name}  ({doc.media_type}, {doc.pages or 'no'} pages, {doc.characters:,} chars)",
        f"Overall {card.overall.score:g}/100  grade {card.overall.grade}   rubric "
        f"{card.rubric.id} {card.rubric.version}   non-hit retention: "
        f"{days_text(card.facts.retention_days)}",
    ]
    out += [f"WARNING: {w}" for w in card.warnings]
    out.append("")
    title_width = max([9, *(len(c.title) for c in card.criteria)])
    title_width = min(title_width, 40)
    header = f"{'Criterion':<{title_width}}  {'Level':<8} Evidence"
    out += [header, "-" * min(WIDTH, len(header) + 60)]
    snippet_width = WIDTH - title_width - 11
    for c in card.criteria:
        first = c.evidence[0].text if c.evidence else "(not found)"
        out.append(f"{_clip(c.title, title_width):<{title_width}}  {LEVEL_LABELS[c.level]:<8} "
                   f"{_clip(first, snippet_width)}")
    for c in card.criteria:
        out.append("")
        out += textwrap.wrap(
            f"== {c.title}: {LEVEL_LABELS[c.level]} (score {c.score:g}, weight {c.weight:g})",
            WIDTH, subsequent_indent="   ",
        )
        out += textwrap.wrap(c.explanation, WIDTH)
        for evidence in c.evidence:
            location = where(evidence)
            quote = f"“{' '.join(evidence.text.split())}”" + (f" [{location}]" if location else "")
            out += textwrap.wrap(quote, WIDTH, initial_indent="  > ", subsequent_indent="    ")
        for conflict in c.conflicts:
            out += textwrap.wrap(f"Conflict: {conflict.description}", WIDTH,
                                 initial_indent="  ! ", subsequent_indent="    ")
        out += textwrap.wrap(f"To reach strong: {c.recommendation}", WIDTH,
                             initial_indent="  + ", subsequent_indent="    ")
    if card.jurisdiction:
        out += ["", f"== State law: {card.jurisdiction}"]
        for finding in card.legal_findings:
            out += textwrap.wrap(f"[{finding.status}] {finding.message}", WIDTH,
                                 initial_indent="  ", subsequent_indent="    ")
    if card.loopholes:
        out += ["", "== Loopholes"]
        for loophole in card.loopholes:
            quote = " ".join(loophole.evidence[0].text.split())
            out += textwrap.wrap(f"{loophole.title} (weakens {loophole.criterion}): “{quote}”",
                                 WIDTH, initial_indent="  ", subsequent_indent="    ")
    return "\n".join(out) + "\n"
