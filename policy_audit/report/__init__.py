"""Scorecard → JSON, Markdown, a terminal table, or a standalone HTML report."""

from __future__ import annotations

from collections.abc import Callable

from ..defaults import REPORT_FORMATS
from ..models import Scorecard
from . import amendments, html_report, markdown, text

FORMATS: tuple[str, ...] = REPORT_FORMATS
# Not a scorecard format but a document derived from one (``--amendments``).
EXTRA_DOCUMENTS: tuple[str, ...] = ("amendments",)

_RENDERERS: dict[str, Callable[[Scorecard], str]] = {
    "json": lambda card: card.model_dump_json(indent=2) + "\n",
    "markdown": markdown.render,
    "text": text.render,
    "html": html_report.render,
    "amendments": amendments.render,
}


def render(card: Scorecard, fmt: str) -> str:
    """The scorecard in ``fmt`` (one of ``FORMATS``)."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        known = ", ".join(FORMATS + EXTRA_DOCUMENTS)
        raise ValueError(f"unknown format {fmt!r}; use one of: {known}") from None
    return renderer(card)


__all__ = ["FORMATS", "render"]
