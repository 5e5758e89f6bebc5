"""Request bodies of the JSON API (``DocumentIn``, ``AuditIn``, ``BatchIn``) and their
OpenAPI description: the audit endpoints read their bodies themselves (JSON or multipart),
so the schema FastAPI would infer from the signature is written out here instead."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from policy_audit import available_jurisdictions

FORCE_HELP = ("Score the document even if it never mentions license plate readers "
              "(otherwise 422 not-an-alpr-policy).")


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The policy's text.")
    name: str | None = Field(default=None, max_length=1000)

    @field_validator("text")
    @classmethod
    def _unicode(cls, text: str) -> str:
        # JSON may escape half a surrogate pair ("\ud800"): not a character, not encodable.
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("contains an unpaired surrogate (\\ud800-\\udfff)") from None
        return text


class AuditIn(DocumentIn):
    rubric: str | None = Field(default=None, max_length=128)
    jurisdiction: str | None = Field(default=None, max_length=64)
    force: StrictBool = Field(default=False, description=FORCE_HELP)  # JSON true/false only


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentIn] = Field(default_factory=list)
    rubric: str | None = Field(default=None, max_length=128)
    jurisdiction: str | None = Field(default=None, max_length=64)
    force: StrictBool = Field(default=False, description=FORCE_HELP)  # JSON true/false only


def request_body(json_model: type[BaseModel], multipart: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI for endpoints that read the body themselves (JSON or multipart)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": inline(json_model.model_json_schema())},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": multipart},
                },
            },
        }
    }


def inline(schema: dict[str, Any]) -> dict[str, Any]:
    """Resolve pydantic's local ``$defs`` references (OpenAPI would look in components)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


FORM_OPTIONS = {
    "rubric": {"type": "string", "description": "A shipped rubric id (default: comprehensive)."},
    "jurisdiction": {
        "type": "string",
        "description": (
            f"A state code ({', '.join(c.upper() for c in available_jurisdictions())}) "
            "for state-law checks; unknown codes get 422."
        ),
    },
    "force": {"type": "boolean", "default": False, "description": FORCE_HELP},
}
SINGLE_FORM = {"file": {"type": "string", "format": "binary"}, **FORM_OPTIONS}
BATCH_FORM = {
    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
    "documents": {"type": "string", "description": 'JSON list of {"text", "name"}.'},
    **FORM_OPTIONS,
}
