"""``serve()``: run the API with uvicorn (``policy-audit serve`` calls this)."""

from __future__ import annotations

import os

from policy_audit import DATABASE_ENV as DATABASE_ENVS

from .db import make_engine, migrate
from .settings import Settings

DATABASE_ENV = DATABASE_ENVS[0]


def serve(host: str, port: int, workers: int, database: str | None) -> None:
    """Start uvicorn with ``api.app:create_app`` as a factory.

    ``database`` overrides POLICY_AUDIT_DATABASE_URL / DATABASE_URL. It is passed to the
    worker processes through the environment, and migrations run once here, before any
    worker starts, so workers never race to create the schema.
    """
    import uvicorn

    if database:
        os.environ[DATABASE_ENV] = database
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=max(1, workers),
        # The client address (rate limits, api.ratelimit) and scheme come from
        # X-Forwarded-For / -Proto only when the peer is one of these proxies; None keeps
        # uvicorn's default ($FORWARDED_ALLOW_IPS, else loopback).
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
        server_header=False,
    )
