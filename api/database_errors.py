"""A database that cannot be reached is a 503 (try again), not a 500 (a bug)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from sqlalchemy.exc import InterfaceError, OperationalError

from .problems import ProblemResponse, or_page, problem_response

log = logging.getLogger("api")

RETRY_AFTER_SECONDS = 5


async def _unavailable(request: Request, exc: Exception) -> ProblemResponse:
    # OperationalError: refused or lost connections, a locked SQLite file; InterfaceError:
    # a connection the driver already closed. Other database errors are bugs (500).
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(
        503,
        "The database is not reachable right now. Try again in a few seconds.",
        request=request,
        code="unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install(app: FastAPI) -> None:
    handler = or_page(_unavailable)
    app.add_exception_handler(OperationalError, handler)
    app.add_exception_handler(InterfaceError, handler)
