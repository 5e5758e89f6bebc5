"""The OpenAPI pages (``/docs``, ``/redoc``) served from local copies of Swagger UI and
ReDoc (the ``fastapi-offline`` package, MIT), so they work without internet access and
make no request to another site; FastAPI's defaults load them from a CDN.

Both pages are our own HTML, with no inline script (Swagger UI is started by
``/static/docs-swagger.js``) and a strict Content-Security-Policy: scripts, the OpenAPI
document, fonts and images only from this server. Styles may be inline, because ReDoc and
Swagger UI set them at run time; inline styles cannot run code. Swagger UI's validator
badge, which sends the schema to validator.swagger.io, is switched off, and ReDoc's
"API docs by Redocly" logo, which it loads from cdn.redoc.ly, is replaced in the script we
serve by an empty local image.
"""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_STATIC = Path(fastapi_offline.__file__).parent / "static"
DOCS_STATIC_URL = "/static-docs"

DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
DOCS_HEADERS = {
    "Content-Security-Policy": DOCS_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

# The only address ReDoc's bundle fetches by itself; an empty SVG shows nothing, as the
# logo does when it cannot load.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


@functools.cache
def redoc_script() -> bytes:
    script = (DOCS_STATIC / "redoc.standalone.js").read_text(encoding="utf-8")
    return script.replace(REDOC_LOGO, EMPTY_SVG).encode("utf-8")


_SWAGGER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{static}/swagger-ui.css">
<link rel="icon" href="{static}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{static}/swagger-ui-bundle.js"></script>
<script src="/static/docs-swagger.js"></script>
</body>
</html>
"""

_REDOC = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{static}/favicon.png">
</head>
<body>
<redoc spec-url="{openapi}" hide-download-button="false"></redoc>
<script src="{static}/redoc.standalone.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Call on an app created with ``docs_url=None, redoc_url=None``."""

    # Registered before the mount, so it answers for the file of the same name.
    @app.get(f"{DOCS_STATIC_URL}/redoc.standalone.js", include_in_schema=False)
    def redoc_js() -> Response:
        return Response(
            redoc_script(),
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    app.mount(DOCS_STATIC_URL, StaticFiles(directory=DOCS_STATIC), name="static-docs")
    values = {
        "title": escape(f"{app.title}: JSON API"),
        "static": DOCS_STATIC_URL,
        "openapi": escape(app.openapi_url or "/openapi.json"),
    }
    swagger_html = _SWAGGER.format(**values)
    redoc_html = _REDOC.format(**values)

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return HTMLResponse(swagger_html, headers=DOCS_HEADERS)

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(redoc_html, headers=DOCS_HEADERS)
