"""Scorecard → one standalone HTML page (inline CSS, no scripts, prints cleanly).

Jinja2 autoescaping is on for every template, so policy text such as ``<script>`` is shown
as text, never run.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..models import Scorecard
from .common import LEVEL_LABELS, days_text, where


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("policy_audit.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(level_label=lambda level: LEVEL_LABELS[level], where=where,
                       days_text=days_text)
    return env


def render(card: Scorecard) -> str:
    return environment().get_template("scorecard.html.j2").render(card=card)
