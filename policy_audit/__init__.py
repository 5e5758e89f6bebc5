"""policy-audit: score an ALPR usage and privacy policy against a rubric, with evidence.

>>> from policy_audit import audit
>>> card = audit("sample_policies/riverton-pd-policy-462.txt")   # doctest: +SKIP
>>> card.criterion("retention").level                            # doctest: +SKIP

The public names are imported on first use, so ``import policy_audit.rubric`` or the CLI's
``--version`` do not load spaCy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The one version source: pyproject.toml reads it from here (``[tool.hatch.version]``).
__version__ = "0.1.0"

_PUBLIC = {
    "Level": "models",
    "PolicyAuditError": "errors",
    "Rubric": "rubric",
    "Scorecard": "models",
    "audit": "pipeline",
    "list_rubrics": "rubric",
    "load_rubric": "rubric",
}
__all__ = [
    "Level",
    "PolicyAuditError",
    "Rubric",
    "Scorecard",
    "audit",
    "list_rubrics",
    "load_rubric",
]

if TYPE_CHECKING:
    from .errors import PolicyAuditError
    from .models import Level, Scorecard
    from .pipeline import audit
    from .rubric import Rubric, list_rubrics, load_rubric


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'policy_audit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value
    return value
