"""A database that cannot be reached is a 503 (try again), not a 500 (a bug)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError, OperationalError

from .problems import problem_response

log = logging.getLogger("api")

RETRY_AFTER_SECONDS = 5


async def _unavailable(request: Request, exc: Exception) -> Response:
    # OperationalError covers refused connections, lost connections and a locked SQLite
    # file; other DBAPI errors count only when the driver says the connection is gone.
    if isinstance(exc, DBAPIError) and not (
        isinstance(exc, OperationalError) or exc.connection_invalidated
    ):
        raise exc
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, cause)
    return problem_response(
        503,
        "The database is not reachable right now; nothing was saved. Try again shortly.",
        request=request,
        code="unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DBAPIError, _unavailable)
