"""policy-audit: score an ALPR usage and privacy policy against a rubric, with evidence.

>>> from policy_audit import audit
>>> card = audit("sample_policies/riverton-pd-policy-462.txt")   # doctest: +SKIP
>>> card.criterion("retention").level                            # doctest: +SKIP

The public names (``__all__``) are imported on first use, so ``import policy_audit.rubric``
or the CLI's ``--version`` do not load spaCy. They are the whole API that the web service
(``api/``) may use: everything else is internal and may move (tests/test_layering.py).
A few are renamed at this level because their short names collide or say too little:
``available_jurisdictions`` (``jurisdiction.available``), ``render_comparison`` and
``comparison_html_body`` (``compare.render``), ``rank_scorecard`` and ``ranking_html_body``
(``rank``), ``PolicyVersion`` (``compare.Version``), ``SCORECARD_STYLESHEET``
(``report.html_report.STYLESHEET``) and ``default_pool_size`` (``worker.default_size``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The one version source: pyproject.toml reads it from here (``[tool.hatch.version]``).
__version__ = "0.1.0"

# public name -> "submodule" (same name there) or "submodule:name"
_PUBLIC = {
    # scoring
    "Level": "models",
    "PageSpan": "models",
    "PolicyAuditError": "errors",
    "Scorecard": "models",
    "SourceText": "models",
    "audit": "pipeline",
    "Limits": "ingest",
    # rubrics and state law
    "DEFAULT_RUBRIC": "rubric",
    "Rubric": "rubric",
    "list_rubrics": "rubric",
    "load_rubric": "rubric",
    "available_jurisdictions": "jurisdiction:available",
    "load_jurisdiction": "jurisdiction",
    # reports
    "render": "report",
    "SCORECARD_STYLESHEET": "report.html_report:STYLESHEET",
    "CriterionView": "report.view",
    "LegalView": "report.view",
    "ScorecardView": "report.view",
    "Utf16Offsets": "report.view",
    "scorecard_view": "report.view",
    # comparing versions and ranking among peers
    "Comparison": "compare",
    "PolicyVersion": "compare:Version",
    "compare_to_model": "compare",
    "compare_versions": "compare",
    "render_comparison": "compare.render:render",
    "comparison_html_body": "compare.render:render_html_body",
    "Reference": "reference",
    "rank_scorecard": "rank:rank",
    "ranking_html_body": "rank:render_html_body",
    # scoring in worker processes, and the service's defaults
    "AuditJob": "worker",
    "AuditPool": "worker",
    "DEFAULT_DEADLINE": "worker",
    "DEFAULT_MEMORY_MB": "worker",
    "default_pool_size": "worker:default_size",
    "DATABASE_ENV": "defaults",
    "DEFAULT_DATABASE_URL": "defaults",
}
__all__ = [
    "DATABASE_ENV",
    "DEFAULT_DATABASE_URL",
    "DEFAULT_DEADLINE",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_RUBRIC",
    "SCORECARD_STYLESHEET",
    "AuditJob",
    "AuditPool",
    "Comparison",
    "CriterionView",
    "LegalView",
    "Level",
    "Limits",
    "PageSpan",
    "PolicyAuditError",
    "PolicyVersion",
    "Reference",
    "Rubric",
    "Scorecard",
    "ScorecardView",
    "SourceText",
    "Utf16Offsets",
    "audit",
    "available_jurisdictions",
    "compare_to_model",
    "compare_versions",
    "comparison_html_body",
    "default_pool_size",
    "list_rubrics",
    "load_jurisdiction",
    "load_rubric",
    "rank_scorecard",
    "ranking_html_body",
    "render",
    "render_comparison",
    "scorecard_view",
]

if TYPE_CHECKING:
    from .compare import Comparison, compare_to_model, compare_versions
    from .compare import Version as PolicyVersion
    from .compare.render import render as render_comparison
    from .compare.render import render_html_body as comparison_html_body
    from .defaults import DATABASE_ENV, DEFAULT_DATABASE_URL
    from .errors import PolicyAuditError
    from .ingest import Limits
    from .jurisdiction import available as available_jurisdictions
    from .jurisdiction import load_jurisdiction
    from .models import Level, PageSpan, Scorecard, SourceText
    from .pipeline import audit
    from .rank import rank as rank_scorecard
    from .rank import render_html_body as ranking_html_body
    from .reference import Reference
    from .report import render
    from .report.html_report import STYLESHEET as SCORECARD_STYLESHEET
    from .report.view import (
        CriterionView,
        LegalView,
        ScorecardView,
        Utf16Offsets,
        scorecard_view,
    )
    from .rubric import DEFAULT_RUBRIC, Rubric, list_rubrics, load_rubric
    from .worker import DEFAULT_DEADLINE, DEFAULT_MEMORY_MB, AuditJob, AuditPool
    from .worker import default_size as default_pool_size


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'policy_audit' has no attribute {name!r}")
    module, _, attribute = _PUBLIC[name].partition(":")
    value = getattr(importlib.import_module(f".{module}", __name__), attribute or name)
    globals()[name] = value
    return value
