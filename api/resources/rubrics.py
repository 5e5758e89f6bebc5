"""``/api/v1/rubrics``: the shipped rubrics, and one rubric with its criteria."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from policy_audit import Rubric

from ..problems import Problem
from ..responses import PREFIX, service_of
from ..settings import Settings

# What a client sees of each criterion (detector settings and the like stay internal).
_CRITERION_FIELDS = {
    "id",
    "title",
    "question",
    "weight",
    "why",
    "levels",
    "citations",
    "model_language",
    "core",
}


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter()

    @router.get(f"{PREFIX}/rubrics", summary="The shipped rubrics")
    def get_rubrics(request: Request) -> dict[str, Any]:
        rubrics = service_of(request).rubrics.values()
        return {"rubrics": [_rubric_summary(r) for r in rubrics]}

    @router.get(f"{PREFIX}/rubrics/{{rubric_id}}", summary="One rubric with its criteria")
    def get_rubric(rubric_id: str, request: Request) -> dict[str, Any]:
        rubric = service_of(request).rubrics.get(rubric_id)
        if rubric is None:
            raise Problem(404, f"No rubric with id {rubric_id!r}.", code="not-found")
        return _rubric_detail(rubric)

    return router


def _rubric_summary(rubric: Rubric) -> dict[str, Any]:
    return {
        "id": rubric.id,
        "version": rubric.version,
        "title": rubric.title,
        "description": rubric.description,
        "criteria": len(rubric.criteria),
        "links": {"self": f"{PREFIX}/rubrics/{rubric.id}"},
    }


def _rubric_detail(rubric: Rubric) -> dict[str, Any]:
    detail = _rubric_summary(rubric)
    del detail["links"]
    detail["grades"] = rubric.grades
    detail["grade_meanings"] = {grade: rubric.grade_meaning(grade) for grade in rubric.grades}
    detail["criteria"] = [
        c.model_dump(mode="json", include=_CRITERION_FIELDS) for c in rubric.criteria
    ]
    return detail
