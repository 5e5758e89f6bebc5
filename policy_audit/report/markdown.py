"""Scorecard → Markdown, for pasting into a letter, an issue or a council packet."""

from __future__ import annotations

import re

from ..models import Scorecard
from .common import LEVEL_LABELS, days_text, where

# Characters that would turn policy text into Markdown structure or links.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def escape(text: str) -> str:
    """Policy words as literal text: no accidental emphasis, links, tables or HTML."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render(card: Scorecard) -> str:
    doc = card.document
    out = [
        f"# ALPR policy scorecard: {escape(doc.name)}",
        "",
        f"**Overall: {card.overall.score:g}/100, grade {card.overall.grade}** · rubric "
        f"`{card.rubric.id}` {card.rubric.version} · retention of non-hit data: "
        f"{days_text(card.facts.retention_days)}",
        "",
        f"Document: {doc.media_type}, {doc.pages or 'no'} page(s), {doc.characters:,} characters, "
        f"sha256 `{doc.sha256[:16]}…`",
        "",
    ]
    if card.warnings:
        out += ["> **Warnings**", ">"] + [f"> - {escape(w)}" for w in card.warnings] + [""]
    out += ["| Criterion | Level | Score |", "|---|---|---|"]
    out += [
        f"| {escape(c.title)} | {LEVEL_LABELS[c.level]} | {c.score:g} × {c.weight:g} |"
        for c in card.criteria
    ]
    for c in card.criteria:
        out += ["", f"## {escape(c.title)}: {LEVEL_LABELS[c.level]}", "", escape(c.explanation), ""]
        if c.evidence:
            out.append("**Evidence**")
            out.append("")
            for evidence in c.evidence:
                location = where(evidence)
                out.append(f"> {escape(evidence.text)}" + (f" ({escape(location)})" if location
                                                          else ""))
                out.append("")
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
        out += [f"**Recommendation:** {escape(c.recommendation)}"]
    out += _legal(card) + _loopholes(card)
    return "\n".join(out).rstrip() + "\n"


_STATUS = {"violates": "Violates", "complies": "Complies", "not_addressed": "Not addressed"}


def _legal(card: Scorecard) -> list[str]:
    if not card.jurisdiction:
        return []
    out = ["", f"## State law: {card.jurisdiction}", ""]
    for finding in card.legal_findings:
        out.append(f"- **{_STATUS[finding.status]}**: {escape(finding.message)}")
        out += [f"  > {escape(e.text)}" for e in finding.evidence[:1]]
    return out


def _loopholes(card: Scorecard) -> list[str]:
    if not card.loopholes:
        return []
    out = ["", "## Loopholes", ""]
    for loophole in card.loopholes:
        out.append(f"- **{escape(loophole.title)}** (weakens `{loophole.criterion}`): "
                   f"{escape(loophole.why)}")
        out += [f"  > {escape(e.text)}" for e in loophole.evidence[:2]]
    return out
