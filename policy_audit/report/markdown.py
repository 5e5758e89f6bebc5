"""Scorecard → Markdown, for pasting into a letter, an issue or a council packet.

The brief comes first (grade, what to ask for, state-law violations); then a section per
criterion; the rule ids, level scores and weights last, under "How this was scored".
"""

from __future__ import annotations

import re

from ..models import Scorecard
from .brief import (
    Brief,
    build_brief,
    finding_sentence,
    legal_requirement,
    people_quotes,
    plain_explanation,
    where,
)
from .common import LEVEL_LABELS, STATUS_LABELS

# Characters that would turn policy text into Markdown structure or links.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def escape(text: str) -> str:
    """Policy words as literal text: no accidental emphasis, links, tables or HTML."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render(card: Scorecard) -> str:
    brief = build_brief(card)
    out = brief_lines(brief)
    out += ["", "---", "", "## Criterion by criterion", ""]
    out += ["| Criterion | Level | What the policy does |", "|---|---|---|"]
    out += [f"| {escape(c.title)} | {LEVEL_LABELS[c.level]} | {escape(finding_sentence(c))} |"
            for c in card.criteria]
    for c in card.criteria:
        out += ["", f"### {escape(c.title)}: {LEVEL_LABELS[c.level]}", "",
                escape(plain_explanation(c.explanation)), ""]
        quotes = people_quotes(c.evidence)
        if quotes:
            for evidence in quotes:
                location = where(evidence, card)
                out += [f"> {escape(evidence.text)}" + (f" ({escape(location)})" if location
                                                        else ""), ""]
        else:
            out += ["*Not found in the policy.*", ""]
        for conflict in c.conflicts:
            out += [
                f"**Conflict:** {escape(conflict.description)}",
                "",
                f"- Stronger: “{escape(conflict.stronger.text)}”",
                f"- Weaker (decides): “{escape(conflict.weaker.text)}”",
                "",
            ]
        if c.level.value != "strong":
            out += [f"**What to ask for:** {escape(c.recommendation)}"]
    out += _legal(card) + _loopholes(card) + _how_scored(card)
    return "\n".join(out).rstrip() + "\n"


def brief_lines(brief: Brief) -> list[str]:
    """The brief as Markdown: everything a reader needs if they read nothing else."""
    facts = [escape(brief.document) if brief.agency_found else None, brief.pages or None,
             f"scored with the {brief.rubric} rubric"
             + (f" and {brief.jurisdiction} state law" if brief.jurisdiction else "")]
    out = [
        f"# {escape(brief.agency)}: ALPR policy scorecard",
        "",
        " · ".join(f for f in facts if f),
        "",
        f"**Grade {brief.grade}** ({brief.score:g} out of 100)"
        + (f": {escape(brief.meaning)}" if brief.meaning else ""),
    ]
    out += [f"{escape(note)}" for note in brief.grade_notes]
    out += ["", f"Plate data about drivers not suspected of anything is kept: "
                f"**{brief.retention}**.", ""]
    if brief.warnings:
        out += ["> **Read with care**", ">"] + [f"> - {escape(w)}" for w in brief.warnings]
        out.append("")
    if brief.asks:
        out += ["## What to ask for", "",
                "The changes that would raise the score most, largest first.", ""]
        for number, ask in enumerate(brief.asks, start=1):
            out += [f"{number}. **{escape(ask.title)}** (now {ask.level_label.lower()}; "
                    f"+{ask.points:g} points). {escape(ask.finding)} "
                    f"Ask: {escape(ask.ask)}"]
            if ask.model_language:
                out += ["", f"   > {escape(ask.model_language)}"]
            out.append("")
    else:
        out += ["The policy meets every criterion of this rubric.", ""]
    if brief.jurisdiction:
        if brief.violations:
            out += [f"## Breaks {brief.jurisdiction} state law", ""]
            for v in brief.violations:
                quote = (f" The policy says: “{escape(v.quote.text)}”"
                         + (f" ({escape(v.where)})" if v.where else "")) if v.quote else ""
                note = " (unconfirmed research)" if not v.verified else ""
                out.append(f"- **{escape(v.statute)}**{note}: {escape(v.requirement)}{quote}")
            out.append("")
        else:
            out += [f"No violation of {brief.jurisdiction} state law was found.", ""]
    return out


def _legal(card: Scorecard) -> list[str]:
    if not card.jurisdiction:
        return []
    out = ["", f"## State law: {card.jurisdiction}, every requirement", ""]
    for finding in card.legal_findings:
        out.append(f"- **{STATUS_LABELS[finding.status]}** {escape(finding.statute)}: "
                   f"{escape(legal_requirement(finding))}")
        out += [f"  > {escape(e.text)}" for e in people_quotes(finding.evidence)[:1]]
    return out


def _loopholes(card: Scorecard) -> list[str]:
    if not card.loopholes:
        return []
    titles = {c.id: c.title for c in card.criteria}
    out = ["", "## Loopholes", ""]
    for loophole in card.loopholes:
        weakens = titles.get(loophole.criterion, loophole.criterion.replace("_", " "))
        out.append(f"- **{escape(loophole.title)}** (weakens “{escape(weakens)}”): "
                   f"{escape(loophole.why)}")
        out += [f"  > {escape(e.text)}" for e in loophole.evidence[:2]]
    return out


def _how_scored(card: Scorecard) -> list[str]:
    total = sum(c.weight for c in card.criteria) or 1.0
    out = ["", "<details><summary>How this was scored</summary>", "",
           f"Overall score = 100 × Σ(weight × level score) / Σ(weight) = {card.overall.score:g}; "
           f"rubric `{card.rubric.id}` {card.rubric.version}; document sha256 "
           f"`{card.document.sha256[:16]}…`, {card.document.characters:,} characters.", "",
           "| Criterion | Level | Level score | Weight | Share of the total | Rule |",
           "|---|---|---|---|---|---|"]
    out += [f"| {escape(c.title)} | {LEVEL_LABELS[c.level]} | {c.score:g} | {c.weight:g} | "
            f"{100 * c.weight / total:.1f}% | `{c.rule or ''}` |" for c in card.criteria]
    out += ["", "</details>"]
    return out
