"""``GET /healthz``: liveness and a database round trip (503 problem when it fails)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from ..problems import problem_response
from ..responses import service_of
from ..settings import Settings

log = logging.getLogger("api")


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", summary="Liveness and database check")
    def healthz(request: Request) -> Response:
        try:
            service_of(request).ping()
        except Exception:
            log.exception("health check: database unreachable")
            return problem_response(
                503, "The database is not reachable.", request=request, code="unavailable"
            )
        return JSONResponse({"status": "ok", "database": "ok"})

    return router
