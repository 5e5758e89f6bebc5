"""Place a policy among its peers, per criterion and overall (``policy-audit rank``).

A council should see at a glance that most neighbours keep data 30 days while this draft
keeps it a year: for every criterion, how many peers read at each level and where this
policy falls; for retention, the peers' days against this policy's; for the overall
score, its percentile. Charts are small server-rendered SVGs that print in grey.
"""

from __future__ import annotations

import functools
import math
import statistics
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape
from pydantic import BaseModel, Field, ValidationError

from .errors import InputError
from .models import Level, Overall, RubricRef, Scorecard
from .reference import LEVELS, Reference
from .report.common import LEVEL_LABELS, days_text
from .report.html_report import templates

_ORDER = {Level.MISSING: 0, Level.WEAK: 1, Level.PARTIAL: 2, Level.STRONG: 3}
FORMATS: tuple[str, ...] = ("text", "json", "markdown", "html")


class CriterionPlace(BaseModel):
    id: str
    title: str
    level: Level
    peers: dict[Level, int]  # how many peers read at each level
    better_than: int  # peers at a lower level
    same_as: int
    worse_than: int  # peers at a higher level


class RetentionPlace(BaseModel):
    days: int | None  # this policy's; None: no maximum set
    peer_days: list[int | None]  # ascending, None (no maximum) last
    shorter: int  # peers keeping non-hit data for less time than this policy
    same: int
    longer: int  # including peers with no maximum
    median: float | None = None  # of the peers that set a maximum


class Ranking(BaseModel):
    document: str
    rubric: RubricRef
    overall: Overall
    percentile: float | None  # share of peers scoring lower (ties half), 0-100
    peer_scores: list[float]
    peers: int
    peers_description: str
    criteria: list[CriterionPlace]
    retention: RetentionPlace
    warnings: list[str] = Field(default_factory=list)


def load_figures(path: Path) -> Reference:
    try:
        return Reference.load(path)
    except (OSError, ValueError, ValidationError) as error:
        raise InputError(f"{path}: not a reference figures file ({type(error).__name__}); "
                         "see policy_audit/data/reference.json for the shape") from None


def rank(card: Scorecard, peers: Reference) -> Ranking:
    rubric = card.rubric.id
    warnings: list[str] = []
    scores = peers.scores(rubric)
    if not scores:
        warnings.append(f"no peer was scored with rubric {rubric!r}: no percentile (the "
                        f"reference set has {', '.join(peers.rubrics) or 'none'})")
    elif peers.rubrics.get(rubric) not in (None, card.rubric.version):
        warnings.append(f"peers were scored with {rubric} {peers.rubrics[rubric]}, this "
                        f"policy with {card.rubric.version}")
    places: list[CriterionPlace] = []
    for result in card.criteria:
        counts = peers.distribution(result.id)
        if not sum(counts.values()):
            continue
        mine = _ORDER[result.level]
        places.append(CriterionPlace(
            id=result.id, title=result.title, level=result.level, peers=counts,
            better_than=sum(n for level, n in counts.items() if _ORDER[level] < mine),
            same_as=counts[result.level],
            worse_than=sum(n for level, n in counts.items() if _ORDER[level] > mine),
        ))
    return Ranking(
        document=card.document.name, rubric=card.rubric, overall=card.overall,
        percentile=peers.percentile(card.overall.score, rubric), peer_scores=scores,
        peers=len(peers.policies), peers_description=peers.description, criteria=places,
        retention=_retention(card.facts.retention_days, peers.retention_days()),
        warnings=warnings,
    )


def _retention(days: int | None, peer_days: list[int | None]) -> RetentionPlace:
    mine = math.inf if days is None else days
    values = [math.inf if d is None else d for d in peer_days]
    finite = [d for d in peer_days if d is not None]
    return RetentionPlace(
        days=days,
        peer_days=sorted(finite) + [None] * (len(peer_days) - len(finite)),
        shorter=sum(v < mine for v in values),
        same=sum(v == mine for v in values),
        longer=sum(v > mine for v in values),
        median=statistics.median(finite) if finite else None,
    )


def ordinal(value: float) -> str:
    number = round(value)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10, "th")
    return f"{number}{suffix}"


# --------------------------------------------------------------------------- charts

_FILL = {Level.STRONG: "#17693a", Level.PARTIAL: "#c98a1b", Level.WEAK: "#a3261b",
         Level.MISSING: "#8a929c"}
_TEXT = {Level.STRONG: "#fff", Level.PARTIAL: "#000", Level.WEAK: "#fff", Level.MISSING: "#000"}


def level_chart(place: CriterionPlace, width: int = 360) -> Markup:
    """A stacked bar of the peers' levels, best first, with this policy's level marked."""
    total = sum(place.peers.values()) or 1
    parts, x = [], 0.0
    label = (f"{place.title}: this policy is {LEVEL_LABELS[place.level].lower()}; peers: "
             + ", ".join(f"{n} {level.value}" for level, n in place.peers.items()))
    for level in LEVELS:
        count = place.peers[level]
        w = width * count / total
        mine = level == place.level
        if count:
            parts.append(f'<rect x="{x:.1f}" y="18" width="{w:.1f}" height="22" '
                         f'fill="{_FILL[level]}" stroke="#000" '
                         f'stroke-width="{2 if mine else .5}"/>')
        if w >= 22:
            parts.append(f'<text x="{x + w / 2:.1f}" y="33" text-anchor="middle" '
                         f'font-size="11" fill="{_TEXT[level]}">{count}</text>')
        if mine:  # marked even where no peer reads at this level
            mid = min(max(x + w / 2, 5.0), width - 5.0)
            parts.append(f'<path d="M{mid - 5:.1f} 4 L{mid + 5:.1f} 4 L{mid:.1f} 14 Z" '
                         'fill="#000"/>')
            anchor = "start" if mid < width / 2 else "end"
            parts.append(f'<text x="{mid + (8 if anchor == "start" else -8):.1f}" y="12" '
                         f'text-anchor="{anchor}" font-size="11">this policy</text>')
        x += w
    return _svg(width, 44, label, parts)


def retention_chart(place: RetentionPlace, width: int = 360) -> Markup:
    """Peers' retention on a log scale of days (no maximum at the right end), stacked
    dots, this policy a black diamond."""
    ticks = [(1, "1 d"), (7, "7"), (30, "30"), (90, "90"), (365, "1 yr"), (1825, "5 yr")]
    left, right = 14.0, width - 46.0

    def x_of(days: int | None) -> float:
        if days is None:
            return width - 18.0
        clamped = min(max(days, 1), 1825)
        return left + (right - left) * math.log(clamped) / math.log(1825)

    parts = [f'<line x1="{left:.1f}" y1="46" x2="{right:.1f}" y2="46" stroke="#000" '
             'stroke-width=".5"/>']
    for days, text in ticks:
        parts.append(f'<text x="{x_of(days):.1f}" y="58" text-anchor="middle" '
                     f'font-size="10">{text}</text>')
    parts.append(f'<text x="{width - 18:.1f}" y="58" text-anchor="middle" '
                 'font-size="10">none</text>')
    stacks: dict[float, int] = {}
    for peer_days in place.peer_days:
        x = round(x_of(peer_days), 0)
        level = stacks.get(x, 0)
        stacks[x] = level + 1
        y = 41 - 5 * min(level, 6)
        parts.append(f'<circle cx="{x:.0f}" cy="{y}" r="2.5" fill="#8a929c" stroke="#000" '
                     'stroke-width=".4"/>')
    mx = x_of(place.days)
    parts.append(f'<path d="M{mx:.1f} 2 L{mx + 6:.1f} 9 L{mx:.1f} 16 L{mx - 6:.1f} 9 Z" '
                 'fill="#000"/>')
    parts.append(f'<line x1="{mx:.1f}" y1="16" x2="{mx:.1f}" y2="46" stroke="#000" '
                 'stroke-dasharray="2 2"/>')
    label = (f"Non-hit retention: this policy {days_text(place.days)}; {place.shorter} of "
             f"{len(place.peer_days)} peers keep data for less time"
             + (f", median {place.median:g} days" if place.median is not None else ""))
    return _svg(width, 62, label, parts)


def score_chart(ranking: Ranking, width: int = 360) -> Markup:
    left, right = 10.0, width - 10.0

    def x_of(score: float) -> float:
        return left + (right - left) * score / 100

    parts = [f'<line x1="{left}" y1="30" x2="{right}" y2="30" stroke="#000" '
             'stroke-width=".5"/>']
    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<text x="{x_of(tick):.1f}" y="42" text-anchor="middle" '
                     f'font-size="10">{tick}</text>')
    for score in ranking.peer_scores:
        parts.append(f'<circle cx="{x_of(score):.1f}" cy="24" r="2.5" fill="#8a929c" '
                     'fill-opacity=".7" stroke="#000" stroke-width=".4"/>')
    mx = x_of(ranking.overall.score)
    parts.append(f'<path d="M{mx:.1f} 4 L{mx + 6:.1f} 11 L{mx:.1f} 18 L{mx - 6:.1f} 11 Z" '
                 'fill="#000"/>')
    label = f"Overall score {ranking.overall.score:g} among {len(ranking.peer_scores)} peers"
    return _svg(width, 46, label, parts)


def _svg(width: int, height: int, label: str, parts: list[str]) -> Markup:
    return Markup(  # numbers and escaped text only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rank-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
        + "".join(parts) + "</svg>")


# --------------------------------------------------------------------------- output


def render(ranking: Ranking, fmt: str) -> str:
    if fmt == "json":
        return ranking.model_dump_json(indent=2) + "\n"
    if fmt == "text":
        return _text(ranking)
    if fmt == "markdown":
        return _markdown(ranking)
    if fmt == "html":
        return environment().get_template("ranking.html.j2").render(
            r=ranking, body=render_html_body(ranking))
    raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


def standing(place: CriterionPlace) -> str:
    total = place.better_than + place.same_as + place.worse_than
    return (f"better than {place.better_than}, level with {place.same_as}, "
            f"behind {place.worse_than} of {total}")


def percentile_text(ranking: Ranking) -> str:
    if ranking.percentile is None:
        return "no percentile (no peer scored with this rubric)"
    return f"{ordinal(ranking.percentile)} percentile"


def _text(r: Ranking) -> str:
    out = [f"{r.document} among {r.peers_description}",
           f"Overall {r.overall.score:g} ({r.overall.grade}), {percentile_text(r)}",
           f"Non-hit retention: {days_text(r.retention.days)}; peers: {r.retention.shorter} "
           f"shorter, {r.retention.same} the same, {r.retention.longer} longer or no maximum"
           + (f" (median {r.retention.median:g} days)" if r.retention.median is not None
              else "")]
    out += [f"WARNING: {w}" for w in r.warnings]
    out.append("")
    width = min(44, max([9, *(len(p.title) for p in r.criteria)]))
    out.append(f"{'Criterion':<{width}}  {'Level':<8} {'Peers S/P/W/M':<14} "
               "Peers below/level/above")
    out.append("-" * 100)
    for p in r.criteria:
        counts = "/".join(str(p.peers[level]) for level in LEVELS)
        title = p.title if len(p.title) <= width else p.title[: width - 1] + "…"
        out.append(f"{title:<{width}}  {LEVEL_LABELS[p.level]:<8} {counts:<14} "
                   f"{p.better_than} / {p.same_as} / {p.worse_than}")
    return "\n".join(out) + "\n"


def _markdown(r: Ranking) -> str:
    from .compare.render import md

    out = [f"# {md(r.document)} among its peers", "",
           f"**Overall {r.overall.score:g} ({r.overall.grade}), {percentile_text(r)}** "
           f"among {md(r.peers_description)}.", "",
           f"Non-hit retention: {days_text(r.retention.days)}; of the peers, "
           f"{r.retention.shorter} keep data for less time, {r.retention.same} the same and "
           f"{r.retention.longer} longer or with no maximum"
           + (f" (median {r.retention.median:g} days)." if r.retention.median is not None
              else "."), ""]
    out += [f"> Warning: {md(w)}" for w in r.warnings]
    out += ["| Criterion | This policy | Strong | Partial | Weak | Missing | Standing |",
            "|---|---|---|---|---|---|---|"]
    for p in r.criteria:
        counts = " | ".join(str(p.peers[level]) for level in LEVELS)
        out.append(f"| {md(p.title)} | {LEVEL_LABELS[p.level]} | {counts} | {standing(p)} |")
    return "\n".join(out) + "\n"


@functools.cache
def environment() -> Environment:
    env = templates("policy_audit.compare")
    env.globals.update(level_label=lambda level: LEVEL_LABELS[level], days_text=days_text,
                       level_chart=level_chart, retention_chart=retention_chart,
                       score_chart=score_chart, standing=standing, ordinal=ordinal,
                       percentile_text=percentile_text, levels=LEVELS)
    return env


def render_html_body(ranking: Ranking, *, heading_level: int = 2) -> Markup:
    html = environment().get_template("ranking_body.html.j2").render(
        r=ranking, h=heading_level)
    return Markup(html)  # rendered by an autoescaping environment

