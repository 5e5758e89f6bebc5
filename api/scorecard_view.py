"""The scorecard page's view model: shared with the standalone HTML report, so it lives in
``policy_audit.report.view``; re-exported here for the web routes."""

from __future__ import annotations

from policy_audit import CriterionView, LegalView, ScorecardView, Utf16Offsets, scorecard_view

__all__ = ["CriterionView", "LegalView", "ScorecardView", "Utf16Offsets", "scorecard_view"]
