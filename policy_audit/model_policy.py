"""A policy written from nothing but a rubric's model language.

The rubric promises that its model language reaches ``strong``; this is the whole-policy
version of that promise, used to set the grade bands (``benchmarks/grade_bands.py``) and to
test that adopting what the scorecard asks for earns an A.
"""

from __future__ import annotations

import hashlib

from .models import SourceText
from .rubric import Rubric


def model_policy(rubric: Rubric) -> SourceText:
    """The rubric's model language as one policy, a numbered section per criterion."""
    lines = ["Automated License Plate Reader (ALPR) Policy", ""]
    for number, criterion in enumerate(rubric.criteria, start=1):
        lines += [f"{number}. {criterion.title.upper()}", criterion.model_language.strip(), ""]
    text = "\n".join(lines)
    return SourceText(name=f"model-language-{rubric.id}", media_type="text/plain",
                      sha256=hashlib.sha256(text.encode()).hexdigest(), text=text)
