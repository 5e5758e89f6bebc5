"""policy-audit: score an ALPR usage and privacy policy against a rubric, with evidence.

>>> from policy_audit import audit
>>> card = audit("sample_policies/riverton-pd-policy-462.txt")   # doctest: +SKIP
>>> card.criterion("retention").level                            # doctest: +SKIP
"""

from .errors import PolicyAuditError
from .models import Level, Scorecard
from .pipeline import audit
from .rubric import Rubric, list_rubrics, load_rubric

__all__ = [
    "Level",
    "PolicyAuditError",
    "Rubric",
    "Scorecard",
    "audit",
    "list_rubrics",
    "load_rubric",
]
__version__ = "0.1.0"
