"""policy-audit JSON API service: FastAPI app, storage (SQLAlchemy + Alembic), web pages."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:  # lazy: importing ``api`` must not build an app or load FastAPI
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
