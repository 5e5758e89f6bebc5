"""The OpenAPI document says everything the API can answer: every status code of every
operation (errors as ``application/problem+json``), the shape of every success body and
header, and the values the request fields accept (shipped rubric ids, state codes).

FastAPI only knows what the route signatures say, and these routes read their bodies
themselves, so the contract is written here, after FastAPI generates the rest.
``tests/api/test_schemathesis.py`` holds the running service to it.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from policy_audit import DEFAULT_RUBRIC, Comparison, Scorecard, available_jurisdictions

from . import job_contract
from .ratelimit import RateLimiter
from .settings import Settings

REF = "#/components/schemas/{model}"
PROBLEM = "application/problem+json"

_WHY = {
    400: "The body is not valid JSON (`malformed-json`).",
    401: "No delete token was sent (`unauthorized`); see `WWW-Authenticate`.",
    403: "The delete token does not match this audit, comparison or job (`forbidden`).",
    404: "No such audit, comparison, job or rubric (`not-found`); deleted ones are gone, "
    "and so is a job finished longer ago than `POLICY_AUDIT_JOB_RETENTION_DAYS`.",
    413: "The document, the body or the batch is larger than the service accepts "
    "(`too-large`, `too-many-documents`).",
    415: "The body is neither JSON nor multipart (`unsupported-media-type`), or the "
    "document is not a format the engine reads (`unsupported-format`).",
    422: "The request or the document cannot be scored: invalid fields (`invalid-request`, "
    "with `errors`), no file, an unknown rubric or state, an empty, damaged, encrypted or "
    "scanned document, or an audit over its time or memory limit. `code` says which.",
    429: "Too many requests from this client (`rate-limited`): scoring requests and other "
    "requests each have a per-client rate limit. `Retry-After` says how many seconds to "
    "wait.",
    500: "An error on our side (`internal-error`); it was logged, and the answer says "
    "nothing about internals.",
    503: "The database is not reachable (`unavailable`); try again shortly.",
}

# Status codes each operation can answer besides its successes.
_ERRORS: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", "/api/v1/audits"): (400, 413, 415, 422, 500, 503),
    ("post", "/api/v1/audits:batch"): (400, 413, 415, 422, 500, 503),
    ("get", "/api/v1/audits/{audit_id}"): (404, 500, 503),
    ("delete", "/api/v1/audits/{audit_id}"): (401, 403, 404, 500, 503),
    ("get", "/api/v1/audits/{audit_id}/report.md"): (404, 500, 503),
    ("get", "/api/v1/audits/{audit_id}/amendments.md"): (404, 500, 503),
    ("get", "/api/v1/audits/{audit_id}/report.html"): (404, 500, 503),
    ("get", "/api/v1/rubrics"): (500,),
    ("get", "/api/v1/rubrics/{rubric_id}"): (404, 500),
    ("get", "/healthz"): (503,),
    ("post", "/api/v1/comparisons"): (400, 413, 415, 422, 500, 503),
    ("get", "/api/v1/comparisons/{comparison_id}"): (404, 500, 503),
    ("delete", "/api/v1/comparisons/{comparison_id}"): (401, 403, 404, 500, 503),
    ("get", "/api/v1/comparisons/{comparison_id}/report.md"): (404, 500, 503),
    ("get", "/api/v1/comparisons/{comparison_id}/report.html"): (404, 500, 503),
}


def _json(schema_name: str, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=schema_name)}}},
        **extra,
    }


def _text(media_type: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}


_LOCATION = {
    "Location": {
        "description": "The audit's URL in this API.",
        "required": True,
        "schema": {"type": "string"},
    }
}

_SUCCESSES: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("post", "/api/v1/audits"): {
        "201": _json(
            "NewAudit",
            "Scored and saved. `delete_token` is shown only here, once.",
            headers=_LOCATION,
        ),
        "200": _json(
            "Audit",
            "The same document was already scored with the same rubric and state: the "
            "saved audit, without a delete token.",
            headers=_LOCATION,
        ),
    },
    ("post", "/api/v1/audits:batch"): {
        "200": _json("BatchResult", "One result per document, in order."),
    },
    ("get", "/api/v1/audits/{audit_id}"): {"200": _json("Audit", "The saved scorecard.")},
    ("delete", "/api/v1/audits/{audit_id}"): {
        "204": {"description": "Deleted, with its stored text."},
    },
    ("get", "/api/v1/audits/{audit_id}/report.md"): {
        "200": _text("text/markdown", "The report as Markdown."),
    },
    ("get", "/api/v1/audits/{audit_id}/amendments.md"): {
        "200": _text("text/markdown", "The requested-amendments letter as Markdown."),
    },
    ("get", "/api/v1/audits/{audit_id}/report.html"): {
        "200": _text("text/html", "A standalone HTML report (served with a strict CSP)."),
    },
    ("get", "/api/v1/rubrics"): {"200": _json("RubricList", "The shipped rubrics.")},
    ("get", "/api/v1/rubrics/{rubric_id}"): {
        "200": _json("RubricDetail", "One rubric with its criteria."),
    },
    ("get", "/healthz"): {"200": _json("Health", "The service and its database answer.")},
    ("post", "/api/v1/comparisons"): {
        "201": _json("NewSavedComparison", "The comparison, saved; `links.page` is its "
                     "permanent page. `delete_token` is shown only here, once.",
                     headers=_LOCATION),
        "200": _json("SavedComparison", "The same versions were compared before: the saved "
                     "comparison, without a delete token (it is never issued again).",
                     headers=_LOCATION),
    },
    ("get", "/api/v1/comparisons/{comparison_id}"): {
        "200": _json("SavedComparison", "The saved comparison."),
    },
    ("delete", "/api/v1/comparisons/{comparison_id}"): {
        "204": {"description": "Deleted; the audits of its versions stay."},
    },
    ("get", "/api/v1/comparisons/{comparison_id}/report.md"): {
        "200": _text("text/markdown", "The comparison as Markdown."),
    },
    ("get", "/api/v1/comparisons/{comparison_id}/report.html"): {
        "200": _text("text/html", "A standalone, printable HTML page (served with a strict "
                     "CSP)."),
    },
}

_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `type` is `urn:policy-audit:problem:<code>`.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": ["string", "null"]},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": ["string", "null"]},
                },
            },
        },
    },
}

_LINKS = {
    "type": "object",
    "required": ["self", "report_md", "report_html", "amendments_md", "page"],
    "properties": {
        key: {"type": "string"}
        for key in ("self", "report_md", "report_html", "amendments_md", "page")
    },
}

_AUDIT_FIELDS: dict[str, Any] = {
    "type": "object",
    "required": ["id", "created_at", "links"],
    "properties": {
        "id": {"type": "string", "description": "Unguessable (128 random bits)."},
        "created_at": {"type": ["string", "null"], "format": "date-time"},
        "links": _LINKS,
    },
}


def _schemas(settings: Settings) -> dict[str, Any]:
    scorecard = Scorecard.model_json_schema(ref_template=REF, mode="serialization")
    schemas: dict[str, Any] = scorecard.pop("$defs")
    schemas["Scorecard"] = scorecard
    comparison = Comparison.model_json_schema(ref_template=REF, mode="serialization")
    schemas.update(comparison.pop("$defs"))  # shares Evidence, Level … with the scorecard
    schemas["Comparison"] = comparison
    schemas["SavedComparison"] = {"allOf": [{"$ref": REF.format(model="Comparison")}, {
        "type": "object",
        "required": ["id", "audit_ids", "links"],
        "properties": {
            "id": {"type": "string", "description": "Unguessable (128 random bits)."},
            "audit_ids": {"type": "array", "items": {"type": "string"},
                          "description": "The saved audit of each version, in order."},
            "created_at": {"type": ["string", "null"], "format": "date-time"},
            "links": {"type": "object", "required": ["self", "report_md", "report_html", "page"],
                      "properties": {key: {"type": "string"} for key in (
                          "self", "report_md", "report_html", "page")}},
        },
    }]}
    schemas["NewSavedComparison"] = {"allOf": [
        {"$ref": REF.format(model="SavedComparison")},
        {"type": "object", "required": ["delete_token"], "properties": {"delete_token": {
            "type": "string",
            "description": "Send as `Authorization: Bearer <delete_token>` to delete the "
            "comparison, and the audits its uploads created."}}},
    ]}
    schemas["Problem"] = _PROBLEM_SCHEMA
    schemas["Audit"] = {"allOf": [{"$ref": REF.format(model="Scorecard")}, _AUDIT_FIELDS]}
    new_audit = copy.deepcopy(_AUDIT_FIELDS)
    new_audit["required"].append("delete_token")
    new_audit["properties"]["delete_token"] = {
        "type": "string",
        "description": "Send as `Authorization: Bearer <delete_token>` to delete the audit.",
    }
    schemas["NewAudit"] = {"allOf": [{"$ref": REF.format(model="Scorecard")}, new_audit]}
    counts = ("count", "created", "existing", "failed")
    schemas["BatchResult"] = {
        "type": "object",
        "required": [*counts, "results"],
        "properties": {
            **{key: {"type": "integer", "minimum": 0} for key in counts},
            "results": {
                "type": "array",
                "maxItems": settings.max_batch_items,
                "items": {
                    "type": "object",
                    "required": ["index", "name", "status"],
                    "properties": {
                        "index": {"type": "integer", "minimum": 0},
                        "name": {"type": ["string", "null"]},
                        "status": {"type": "integer", "enum": [200, 201, 400, 413, 415, 422, 500]},
                        "id": {"type": "string"},
                        "links": _LINKS,
                        "scorecard": {"$ref": REF.format(model="Scorecard")},
                        "delete_token": {"type": "string"},
                        "problem": {"$ref": REF.format(model="Problem")},
                    },
                    "oneOf": [
                        {"required": ["id", "links", "scorecard"]},
                        {"required": ["problem"]},
                    ],
                },
            },
        },
    }
    rubric_summary = {
        "type": "object",
        "required": ["id", "version", "title", "description", "criteria", "links"],
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "criteria": {"type": "integer", "minimum": 0},
            "links": {"type": "object", "properties": {"self": {"type": "string"}}},
        },
    }
    schemas["RubricList"] = {
        "type": "object",
        "required": ["rubrics"],
        "properties": {"rubrics": {"type": "array", "items": rubric_summary}},
    }
    schemas["RubricDetail"] = {
        "type": "object",
        "required": ["id", "version", "title", "description", "grades", "criteria"],
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "grades": {},
            "criteria": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "title", "question", "weight", "levels"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "question": {"type": "string"},
                        "weight": {"type": "number"},
                    },
                },
            },
        },
    }
    schemas["Health"] = {
        "type": "object",
        "required": ["status", "database"],
        "properties": {"status": {"const": "ok"}, "database": {"const": "ok"}},
    }
    return schemas


def _choices(rubric_ids: list[str]) -> dict[str, dict[str, Any]]:
    """What ``rubric`` and ``jurisdiction`` accept; empty or absent means the default."""
    states = [code.upper() for code in available_jurisdictions()]
    return {
        "rubric": {
            "type": "string",
            "enum": ["", *rubric_ids],
            "description": f"A shipped rubric id; empty or absent: `{DEFAULT_RUBRIC}`.",
        },
        "jurisdiction": {
            "type": "string",
            # Codes are read case-insensitively.
            "enum": ["", *states, *(code.lower() for code in states)],
            "description": "A state code for state-law checks (adds `legal_findings`); "
            "empty or absent: none.",
        },
    }


_FORCE = ("Score the document even if it never mentions license plate readers; without it "
          "such a document gets 422 `not-an-alpr-policy`.")
# In a form or the query, ``force`` is a word (a checkbox sends "on"); in JSON, a boolean.
FORCE_WORD: dict[str, Any] = {
    "type": "string",
    "enum": ["", "true", "false", "on", "off", "1", "0", "yes", "no"],
    "description": _FORCE + " Empty or absent: false.",
}
FORCE_JSON: dict[str, Any] = {"type": "boolean", "default": False, "description": _FORCE}


def _document_text() -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": 1,
        "pattern": r"\S",
        "description": "The policy's text. Control characters other than tab and line ends "
        "are removed before it is read or stored.",
    }


def _request_bodies(paths: dict[str, Any], rubric_ids: list[str], settings: Settings) -> None:
    choices = _choices(rubric_ids)
    nullable = {key: {"anyOf": [value, {"type": "null"}]} for key, value in choices.items()}
    query = [
        {"name": key, "in": "query", "required": False, "schema": value,
         "description": "The same as the body field, when the body does not give it."}
        for key, value in {**choices, "force": FORCE_WORD}.items()
    ]
    document: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": _document_text(),
            "name": {"anyOf": [{"type": "string", "maxLength": 1000}, {"type": "null"}]},
        },
    }
    single = paths["/api/v1/audits"]["post"]
    single["parameters"] = query
    content = single["requestBody"]["content"]
    content["application/json"]["schema"] = {
        **copy.deepcopy(document),
        "properties": {**document["properties"], **nullable, "force": FORCE_JSON},
    }
    content["multipart/form-data"]["schema"] = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}, **choices,
                       "force": FORCE_WORD},
    }

    batch = paths["/api/v1/audits:batch"]["post"]
    batch["parameters"] = query
    # In a batch, an empty or unreadable document does not fail the request: its result
    # carries the problem. So any string is a valid text here.
    item = copy.deepcopy(document)
    item["properties"]["text"] = {
        "type": "string",
        "description": "The policy's text; an empty or unreadable one gets a `problem` in "
        "its result.",
    }
    documents = {
        "type": "array",
        "minItems": 1,
        "maxItems": settings.max_batch_items,
        "items": item,
    }
    content = batch["requestBody"]["content"]
    content["application/json"]["schema"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["documents"],
        "properties": {"documents": documents, **nullable, "force": FORCE_JSON},
    }
    content["multipart/form-data"] = {
        "schema": {
            "type": "object",
            "properties": {
                "files": {
                    "type": "array",
                    "items": {"type": "string", "format": "binary"},
                    "minItems": 1,
                    "maxItems": settings.max_batch_items,
                },
                "documents": {
                    # May be empty here: the files can carry the documents.
                    **{k: v for k, v in documents.items() if k != "minItems"},
                    "description": 'A JSON list of {"text", "name"}, in one part.',
                },
                **choices,
                "force": FORCE_WORD,
            },
            # At least one of files and documents (else 422 empty-batch); not written as
            # anyOf/required, which fuzzers read wrongly for multipart bodies.
            "description": "`files` parts, a `documents` part, or both; at least one "
            "document in all.",
        },
        "encoding": {"documents": {"contentType": "application/json"}},
    }


def _delete_token_header(paths: dict[str, Any]) -> None:
    operation = paths["/api/v1/audits/{audit_id}"]["delete"]
    operation["description"] = (
        "Send the audit's delete token as `Authorization: Bearer <delete_token>`, or as "
        "`X-Delete-Token: <delete_token>`. 401 without one, 403 with another audit's."
    )
    for path, noun in (("/api/v1/audits/{audit_id}", "audit"),
                       ("/api/v1/comparisons/{comparison_id}", "comparison")):
        paths[path]["delete"].setdefault("parameters", []).append(
            {
                "name": "X-Delete-Token",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": f"The `delete_token` given when the {noun} was created.",
            }
        )


_READS = {
    "GetAudit": ("get", "/api/v1/audits/{audit_id}"),
    "GetReportMarkdown": ("get", "/api/v1/audits/{audit_id}/report.md"),
    "GetAmendments": ("get", "/api/v1/audits/{audit_id}/amendments.md"),
    "GetReportHtml": ("get", "/api/v1/audits/{audit_id}/report.html"),
}


def _links(paths: dict[str, Any]) -> None:
    """OpenAPI links from a created audit to what can be done with it (clients, and the
    fuzzer's stateful phase, follow them)."""
    by_id = {"$response.body#/id": None}
    reads = {
        name: {
            "operationId": paths[path][method]["operationId"],
            "parameters": {"path.audit_id": next(iter(by_id))},
        }
        for name, (method, path) in _READS.items()
    }
    responses = paths["/api/v1/audits"]["post"]["responses"]
    responses["200"]["links"] = reads
    responses["201"]["links"] = {
        **reads,
        "DeleteAudit": {
            "operationId": paths["/api/v1/audits/{audit_id}"]["delete"]["operationId"],
            "parameters": {
                "path.audit_id": "$response.body#/id",
                "header.X-Delete-Token": "$response.body#/delete_token",
            },
        },
    }


def _comparison_links(paths: dict[str, Any]) -> None:
    """From a new comparison to reading and deleting it."""
    item = "/api/v1/comparisons/{comparison_id}"
    responses = paths["/api/v1/comparisons"]["post"]["responses"]
    read = {"GetComparison": {"operationId": paths[item]["get"]["operationId"],
                              "parameters": {"path.comparison_id": "$response.body#/id"}}}
    responses["200"]["links"] = read
    responses["201"]["links"] = {**read, "DeleteComparison": {
        "operationId": paths[item]["delete"]["operationId"],
        "parameters": {"path.comparison_id": "$response.body#/id",
                       "header.X-Delete-Token": "$response.body#/delete_token"}}}


def build(app: FastAPI, settings: Settings, rubric_ids: list[str]) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    paths: dict[str, Any] = schema["paths"]
    errors = {**_ERRORS, **job_contract.ERRORS}
    successes = {**_SUCCESSES, **job_contract.SUCCESSES}
    limiter = RateLimiter(settings)
    for (method, path), codes in errors.items():
        operation = paths[path][method]
        responses = dict(successes[(method, path)])
        if limiter.bucket_for(method, path) is not None:  # only when a limit is on
            codes = tuple(sorted((*codes, 429)))
        for code in codes:
            response: dict[str, Any] = {
                "description": _WHY[code],
                "content": {PROBLEM: {"schema": {"$ref": REF.format(model="Problem")}}},
            }
            if code == 401:
                response["headers"] = {
                    "WWW-Authenticate": {"required": True, "schema": {"type": "string"}}
                }
            if code == 429:
                response["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                }
            responses[str(code)] = response
        operation["responses"] = responses
    _request_bodies(paths, rubric_ids, settings)
    job_contract.request_bodies(paths, _choices(rubric_ids), settings, (FORCE_WORD, FORCE_JSON))
    _delete_token_header(paths)
    _links(paths)
    _comparison_links(paths)
    job_contract.links(paths)
    for parameter in paths["/api/v1/rubrics/{rubric_id}"]["get"]["parameters"]:
        parameter["examples"] = {rid: {"value": rid} for rid in rubric_ids}
    missing = {(m, p) for p, ops in paths.items() for m in ops} - set(errors)
    if missing:  # a new route must say what it answers
        raise RuntimeError(f"operations without a documented contract: {sorted(missing)}")
    schema.setdefault("components", {})["schemas"] = {
        **_schemas(settings), **job_contract.schemas(settings, _LINKS)
    }
    return schema


def install(app: FastAPI, settings: Settings, rubric_ids: list[str]) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app, settings, rubric_ids)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
