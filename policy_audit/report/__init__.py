"""Scorecard → JSON, Markdown, a terminal table, or a standalone HTML report."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Scorecard
from . import html_report, markdown, text

FORMATS: tuple[str, ...] = ("json", "markdown", "text", "html")

_RENDERERS: dict[str, Callable[[Scorecard], str]] = {
    "json": lambda card: card.model_dump_json(indent=2) + "\n",
    "markdown": markdown.render,
    "text": text.render,
    "html": html_report.render,
}


def render(card: Scorecard, fmt: str) -> str:
    """The scorecard in ``fmt`` (one of ``FORMATS``)."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}") from None
    return renderer(card)


__all__ = ["FORMATS", "render"]
