"""Web pages (HTML upload form, scorecard pages): a later step.

The router is already included by ``create_app``; templates go in ``api/templates/``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

TEMPLATES_DIR = Path(__file__).parent / "templates"

router = APIRouter(include_in_schema=False)
