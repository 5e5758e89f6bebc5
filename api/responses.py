"""What every resource module shares on the way out: the API prefix, links of an audit,
the audit's JSON, Markdown and HTML responses, and ``scoring`` (wait for the audit pool
in the scoring threads, off the event loop); ``service_of``/``settings_of`` for a request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import Request, Response
from fastapi.responses import JSONResponse

from .db import Audit, as_utc
from .service import AuditService, Saved
from .settings import Settings

PREFIX = "/api/v1"
HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def links(audit_id: str) -> dict[str, str]:
    base = f"{PREFIX}/audits/{audit_id}"
    return {
        "self": base,
        "report_md": f"{base}/report.md",
        "report_html": f"{base}/report.html",
        "amendments_md": f"{base}/amendments.md",
        "page": f"/audits/{audit_id}",
    }


def audit_json(audit: Audit, delete_token: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = dict(audit.scorecard)
    body["id"] = audit.id
    body["created_at"] = as_utc(audit.created_at).isoformat() if audit.created_at else None
    body["links"] = links(audit.id)
    if delete_token is not None:
        body["delete_token"] = delete_token
    return body


def saved_response(saved: Saved) -> JSONResponse:
    return JSONResponse(
        audit_json(saved.audit, saved.delete_token),
        status_code=201 if saved.created else 200,
        headers={"Location": links(saved.audit.id)["self"]},
    )


def markdown_response(text: str, headers: dict[str, str] | None = None) -> Response:
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff", **(headers or {})},
    )


T = TypeVar("T")
# Requests waiting for an audit worker each hold a thread; they get their own threads, so
# that /healthz, pages and reads keep the default threadpool while documents are scored.
SCORING_THREADS = 64


async def scoring(request: Request, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``func`` (which hands documents to the audit pool) off the event loop."""
    state = request.app.state
    if getattr(state, "scoring_limiter", None) is None:
        state.scoring_limiter = anyio.CapacityLimiter(SCORING_THREADS)
    call = functools.partial(func, *args, **kwargs)
    return await anyio.to_thread.run_sync(call, limiter=state.scoring_limiter)


def service_of(request: Request) -> AuditService:
    service: AuditService = request.app.state.service
    return service


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def authorization_of(request: Request) -> str | None:
    """The ``Authorization`` header; else ``X-Delete-Token: <token>`` as a Bearer token
    (the two ways every delete takes its token)."""
    authorization = request.headers.get("authorization")
    token = request.headers.get("x-delete-token", "").strip()
    if not authorization and token:
        authorization = f"Bearer {token}"
    return authorization
