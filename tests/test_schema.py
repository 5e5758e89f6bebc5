"""The published JSON Schema is the one the models generate: the contract cannot drift."""

from __future__ import annotations

import json
from pathlib import Path

from policy_audit.models import SCHEMA_VERSION, Scorecard

PUBLISHED = Path(__file__).parent.parent / "schema" / f"scorecard-{SCHEMA_VERSION}.schema.json"


def test_published_schema_matches_the_models() -> None:
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    assert published == Scorecard.model_json_schema(), (
        "The Scorecard models changed: if the change is intended, bump SCHEMA_VERSION when a "
        "name changes, and regenerate with `policy-audit schema > schema/scorecard-<v>.schema.json`"
    )


def test_contract_names_are_in_the_schema() -> None:
    schema = Scorecard.model_json_schema()
    top = set(schema["properties"])
    assert {"schema_version", "document", "rubric", "overall", "facts", "criteria",
            "warnings"} <= top
    defs = schema["$defs"]
    assert {"name", "sha256", "media_type", "pages", "characters"} <= set(
        defs["DocumentInfo"]["properties"]
    )
    assert {"id", "title", "level", "score", "evidence", "explanation", "recommendation",
            "conflicts"} <= set(defs["CriterionResult"]["properties"])
    assert {"text", "start", "end", "page", "section"} <= set(defs["Evidence"]["properties"])
    assert set(defs["Level"]["enum"]) == {"strong", "partial", "weak", "missing"}
    assert "retention_days" in defs["Facts"]["properties"]
