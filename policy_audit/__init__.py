"""policy-audit: score an ALPR usage and privacy policy against a rubric, with evidence.

>>> from policy_audit import audit
>>> card = audit("sample_policies/riverton-pd-policy-462.txt")   # doctest: +SKIP
>>> card.criterion("retention").level                            # doctest: +SKIP

The public names are imported on first use, so that ``policy-audit --version`` and
``--help`` (and anything else that imports a light submodule) do not load spaCy.
"""

from __future__ import annotations

import importlib

from .defaults import VERSION as __version__

TYPE_CHECKING = False  # not typing's: importing typing would slow ``policy-audit --help``
if TYPE_CHECKING:
    from typing import Any

    from .errors import PolicyAuditError
    from .models import Level, Scorecard
    from .pipeline import audit
    from .rubric import Rubric, list_rubrics, load_rubric

_LAZY = {
    "PolicyAuditError": "errors",
    "Level": "models",
    "Scorecard": "models",
    "audit": "pipeline",
    "Rubric": "rubric",
    "list_rubrics": "rubric",
    "load_rubric": "rubric",
}

__all__ = [
    "Level",
    "PolicyAuditError",
    "Rubric",
    "Scorecard",
    "__version__",
    "audit",
    "list_rubrics",
    "load_rubric",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'policy_audit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value
