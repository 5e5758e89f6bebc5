"""405 answers list every method of the path in ``Allow`` (RFC 9110 §15.5.6).

Starlette stops at the first route whose path matches and lists only that route's methods,
so ``PUT /api/v1/audits/{id}`` would say ``Allow: GET`` though DELETE works there too.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from . import problems

# The methods a route may answer, in the order they are listed.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
# Static files (a Mount) are read-only.
_STATIC = ["GET", "HEAD"]


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route of ``app`` answers on the request's path: each is asked, as
    the router itself would, whether it fully matches the request under that method."""
    allowed: list[str] = []
    mounted = False
    for method in METHODS:
        scope = {**request.scope, "method": method}
        for route in app.router.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL and isinstance(route, Mount):
                mounted = True
            elif match is Match.FULL:
                allowed.append(method)
                break
    if "GET" in allowed and "HEAD" not in allowed:
        # api.head answers HEAD wherever GET is answered.
        allowed.insert(allowed.index("GET") + 1, "HEAD")
    return allowed or (_STATIC if mounted else [])


def install(app: FastAPI) -> None:
    """Call after ``problems.install``: replaces the 405 handler only."""
    handle = problems.http_error_handler()

    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        methods = allowed_methods(request.app, request)
        if methods:
            exc.headers = {**(exc.headers or {}), "Allow": ", ".join(methods)}
        return await handle(request, exc)

    app.add_exception_handler(405, method_not_allowed)
