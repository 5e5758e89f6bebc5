"""The OpenAPI contract of the job endpoints (``api/jobs.py``), merged into the one
document ``api/openapi_contract.py`` builds: every status of every job operation, the
``Job`` schema, the request bodies and the links from a new job to what can be done
with it."""

from __future__ import annotations

import copy
from typing import Any

from .job_service import JOBS_PREFIX
from .settings import Settings

JOB = f"{JOBS_PREFIX}/{{job_id}}"
REF = "#/components/schemas/{model}"

# Status codes each job operation can answer besides its successes.
ERRORS: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", JOBS_PREFIX): (400, 413, 415, 422, 500, 503),
    ("get", JOB): (404, 500, 503),
    ("delete", JOB): (401, 403, 404, 500, 503),
}

_JOB_LOCATION = {
    "Location": {
        "description": "The job's URL in this API.",
        "required": True,
        "schema": {"type": "string"},
    }
}


def _job(name: str, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=name)}}},
        **extra,
    }


SUCCESSES: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("post", JOBS_PREFIX): {
        "202": _job(
            "NewJob",
            "Accepted: every document is stored and queued; `policy-audit worker` processes "
            "score them. `delete_token` is shown only here, once.",
            headers=_JOB_LOCATION,
        ),
    },
    ("get", JOB): {"200": _job("Job", "The job, each document as it stands.")},
    ("delete", JOB): {
        "204": {"description": "The job and its unscored documents are gone; the audits "
                "it created stay."},
    },
}


def schemas(settings: Settings, links: dict[str, Any]) -> dict[str, Any]:
    """``Job`` and ``NewJob``; ``links`` is the schema of an audit's ``links``."""
    states = ["queued", "running", "done", "failed"]
    counts = ("total", "queued", "running", "done", "failed", "created", "existing")
    job: dict[str, Any] = {
        "type": "object",
        "required": ["id", "status", "rubric", "jurisdiction", "force", "created_at",
                     "finished_at",
                     "counts", "documents", "links", "warnings"],
        "properties": {
            "id": {"type": "string", "description": "Unguessable (128 random bits)."},
            "status": {"type": "string", "enum": ["queued", "running", "done"]},
            "rubric": {"type": "string"},
            "jurisdiction": {"type": ["string", "null"]},
            "force": {"type": "boolean"},
            "created_at": {"type": ["string", "null"], "format": "date-time"},
            "finished_at": {"type": ["string", "null"], "format": "date-time"},
            "counts": {
                "type": "object",
                "required": list(counts),
                "properties": {key: {"type": "integer", "minimum": 0} for key in counts},
            },
            "documents": {
                "type": "array",
                "maxItems": settings.max_job_items,
                "items": {
                    "type": "object",
                    "required": ["index", "name", "status"],
                    "properties": {
                        "index": {"type": "integer", "minimum": 0},
                        "name": {"type": ["string", "null"]},
                        "status": {"type": "string", "enum": states},
                        "id": {"type": "string", "description": "The saved audit."},
                        "created": {"type": "boolean", "description": "False: the same "
                                    "document had been scored before this job."},
                        "links": links,
                        "problem": {"$ref": REF.format(model="Problem")},
                    },
                },
            },
            "links": {
                "type": "object",
                "required": ["self"],
                "properties": {"self": {"type": "string"}},
            },
            "warnings": {"type": "array", "items": {"type": "string"}},
        },
    }
    new_job = copy.deepcopy(job)
    new_job["required"].append("delete_token")
    new_job["properties"]["delete_token"] = {
        "type": "string",
        "description": "Deletes every audit this job creates, and the job itself: send as "
        "`Authorization: Bearer <delete_token>`.",
    }
    return {"Job": job, "NewJob": new_job}


def request_bodies(
    paths: dict[str, Any],
    choices: dict[str, dict[str, Any]],
    settings: Settings,
    force: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """What ``POST /api/v1/jobs`` takes; ``choices``: the rubric and state fields;
    ``force``: its schema as a word (form, query) and as a JSON boolean."""
    force_word, force_json = force
    nullable = {key: {"anyOf": [value, {"type": "null"}]} for key, value in choices.items()}
    operation = paths[JOBS_PREFIX]["post"]
    operation["parameters"] = [
        {"name": key, "in": "query", "required": False, "schema": value,
         "description": "The same as the body field, when the body does not give it (the "
         "only way with a zip body)."}
        for key, value in {**choices, "force": force_word}.items()
    ]
    # An empty or unreadable document does not fail the job: it is recorded as failed.
    item = {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "description": "The policy's text."},
            "name": {"anyOf": [{"type": "string", "maxLength": 1000}, {"type": "null"}]},
        },
    }
    documents = {"type": "array", "minItems": 1, "maxItems": settings.max_job_items,
                 "items": item}
    binary_list = {"type": "array", "items": {"type": "string", "format": "binary"},
                   "maxItems": settings.max_job_items}
    operation["requestBody"] = {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object",
                "additionalProperties": False,
                "required": ["documents"],
                "properties": {"documents": documents, **nullable, "force": force_json},
            }},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {**binary_list, "description": "One document per part."},
                        "archive": {**binary_list, "description": "Zip files: each file "
                                    "in them is a document (folders and dot-files skipped)."},
                        "documents": {
                            **{k: v for k, v in documents.items() if k != "minItems"},
                            "description": 'A JSON list of {"text", "name"}, in one part.',
                        },
                        **choices,
                        "force": force_word,
                    },
                    "description": "`files`, `archive` and `documents` parts in any mix; at "
                    "least one document in all.",
                },
                "encoding": {"documents": {"contentType": "application/json"}},
            },
            "application/zip": {
                "schema": {"type": "string", "format": "binary",
                           "description": "A zip: each file in it is a document."},
            },
        },
    }


def links(paths: dict[str, Any]) -> None:
    """From a new job to reading and deleting it (clients and the fuzzer follow them)."""
    response = paths[JOBS_PREFIX]["post"]["responses"]["202"]
    response["links"] = {
        "GetJob": {
            "operationId": paths[JOB]["get"]["operationId"],
            "parameters": {"path.job_id": "$response.body#/id"},
        },
        "DeleteJob": {
            "operationId": paths[JOB]["delete"]["operationId"],
            "parameters": {
                "path.job_id": "$response.body#/id",
                "header.X-Delete-Token": "$response.body#/delete_token",
            },
        },
    }
    paths[JOB]["delete"].setdefault("parameters", []).append({
        "name": "X-Delete-Token",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": "The job's `delete_token` (instead of `Authorization: Bearer`).",
    })
