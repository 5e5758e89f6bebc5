"""Scorecard → one standalone HTML page (inline CSS, no scripts, prints cleanly).

The same templates as the web page's scorecard (``_brief``, ``_criteria``,
``_after_criteria``) and the same view model (``policy_audit.report.view``), without the
full text. Jinja2 autoescaping is on for every template, so policy text such as
``<script>`` is shown as text, never run.
"""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from ..models import Scorecard
from .view import scorecard_view

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = TEMPLATES / "scorecard.css"


def templates(package: str) -> Environment:
    """The templates of one package of ours, as every HTML renderer loads them: every value
    escaped (policy text is hostile), and an undefined name an error, not an empty string."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def environment() -> Environment:
    return templates("policy_audit.report")


def render(card: Scorecard) -> str:
    view = scorecard_view(card)
    return environment().get_template("scorecard.html.j2").render(
        card=card, view=view, cards=view.criteria, has_text=False, scored_on="",
        version=__version__,
    )
