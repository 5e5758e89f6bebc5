"""JSON API, version 1: every resource's router (``api/resources/``) in one.

The pieces live by concern: ``schemas`` (request bodies and their OpenAPI), ``uploads``
(reading bodies, forms and options), ``responses`` (links, the audit's JSON, Markdown and
HTML responses, the scoring threads) and one module per resource in ``resources``.
"""

from __future__ import annotations

from fastapi import APIRouter

from .resources import audits, health, rubrics
from .responses import (
    HTML_CSP,
    PREFIX,
    audit_json,
    links,
    markdown_response,
    saved_response,
    scoring,
    service_of,
    settings_of,
)
from .schemas import AuditIn, BatchIn, DocumentIn
from .settings import Settings
from .uploads import check_query as _check_query
from .uploads import is_json as _is_json
from .uploads import json_body as _json_body
from .uploads import media_type as _media_type
from .uploads import query as _query
from .uploads import read_upload, truthy
from .uploads import text_field as _text_field
from .uploads import unsupported as _unsupported
from .uploads import validate as _validate

# build_router, and the names that modules written against the single routes.py imported
# from it (under their old names); new code imports them from schemas, uploads, responses.
__all__ = [
    "HTML_CSP",
    "PREFIX",
    "AuditIn",
    "BatchIn",
    "DocumentIn",
    "_check_query",
    "_is_json",
    "_json_body",
    "_media_type",
    "_query",
    "_text_field",
    "_unsupported",
    "_validate",
    "audit_json",
    "build_router",
    "links",
    "markdown_response",
    "read_upload",
    "saved_response",
    "scoring",
    "service_of",
    "settings_of",
    "truthy",
]

# audits includes its batch method (resources/batch.py) right after the single create.
RESOURCES = (audits, rubrics, health)


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter()
    for resource in RESOURCES:
        router.include_router(resource.build_router(settings))
    return router
