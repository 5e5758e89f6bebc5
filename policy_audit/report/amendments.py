"""The "requested amendments" letter: for every criterion below strong, the language that
would fix it, in the policy's own section order, ready to paste into a letter to a council.
"""

from __future__ import annotations

from ..models import CriterionResult, Level, Scorecard
from .brief import legal_requirement, people_quotes, section_label
from .common import LEVEL_LABELS, split_recommendation
from .markdown import escape


def _position(result: CriterionResult) -> float:
    """Where in the policy the criterion is dealt with; new sections go last."""
    starts = [e.start for e in people_quotes(result.evidence)]
    return min(starts) if starts else float("inf")


def render(card: Scorecard) -> str:
    below = sorted((c for c in card.criteria if c.level is not Level.STRONG), key=_position)
    out = [
        f"# Requested amendments: {escape(card.document.agency or card.document.name)}",
        "",
        f"Policy: {escape(card.document.name)}. Scored with the `{card.rubric.id}` rubric "
        f"{card.rubric.version}: "
        f"{card.overall.score:g}/100 (grade {card.overall.grade}). "
        f"{len(below)} of {len(card.criteria)} criteria fall short of strong. "
        "They are listed in the order the policy deals with them; safeguards the policy "
        "lacks entirely come last, as new sections.",
        "",
    ]
    violations = [f for f in card.legal_findings if f.status == "violates"]
    if violations:
        out += [f"## State law ({card.jurisdiction})", ""]
        out += [f"- **{escape(f.statute)}**: {escape(legal_requirement(f))}"
                + (f" The policy says: “{escape(q[0].text)}”"
                   if (q := people_quotes(f.evidence)) else "")
                for f in violations]
        out.append("")
    if not below:
        out += ["The policy meets every criterion of this rubric. No amendments are requested."]
    for number, result in enumerate(below, start=1):
        advice, model = split_recommendation(result.recommendation)
        quotes = people_quotes(result.evidence)  # a bare heading is not what the policy says
        where = next((label for e in quotes if (label := section_label(e, card))), None)
        heading = f"## {number}. {escape(result.title)} ({LEVEL_LABELS[result.level].lower()})"
        out += [heading, ""]
        if quotes:
            location = f" in § {escape(where)}" if where else ""
            out += [f"The policy now says{location}:", "",
                    f"> {escape(quotes[0].text)}", ""]
            action = "Amend this section to read:" if where else "Amend this language to read:"
        else:
            action = "Add a new section:"
        loopholes = [lh for lh in card.loopholes if lh.criterion == result.id]
        for loophole in loopholes:
            out += [f"Strike the loophole “{escape(loophole.evidence[0].text)}”: "
                    f"{escape(loophole.why)}", ""]
        out += [escape(advice), ""]
        if model:
            out += [action, "", f"> {escape(model)}", ""]
    return "\n".join(out).rstrip() + "\n"
