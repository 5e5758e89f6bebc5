"""Compare versions of a policy: criterion deltas and a section-aligned redline.

``compare_versions([Version(card, text), ...])`` for two or more versions in order;
``compare_to_model(Version(card, text))`` for one draft against the rubric's model
language. Both return the ``Comparison`` model (``policy_audit.compare.models``).
"""

from __future__ import annotations

from .deltas import Version, compare_versions
from .model import compare_to_model
from .models import COMPARISON_SCHEMA_VERSION, Comparison

__all__ = ["COMPARISON_SCHEMA_VERSION", "Comparison", "Version", "compare_to_model",
           "compare_versions"]
