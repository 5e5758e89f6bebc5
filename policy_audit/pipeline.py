"""The audit pipeline: ingest → segment → detect → score.

The spaCy pipeline, the trigger matcher and the rubric are built once per process and
reused; one ``audit`` call only runs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .detect import detect
from .errors import EmptyDocumentError
from .models import Scorecard, SourceText
from .rubric import Rubric, load_rubric
from .scoring import score_document
from .segment import make_doc

if TYPE_CHECKING:
    from .ingest import Limits


def audit_text(source: SourceText, rubric: str | Path | Rubric | None = None) -> Scorecard:
    """Score already-ingested text (the service and tests use this directly)."""
    if not source.text.strip():
        raise EmptyDocumentError(f"{source.name}: no text to score")
    loaded = load_rubric(rubric)
    doc = make_doc(source.text)
    findings = detect(doc, source, loaded)
    return score_document(source, findings, loaded)


def audit(
    source: Path | str | bytes,
    *,
    rubric: str | Path | Rubric | None = None,
    name: str | None = None,
    limits: Limits | None = None,
) -> Scorecard:
    """Read a policy (path or bytes) and score it against a rubric (default: ``core``)."""
    # Imported here so that scoring ready-made text never loads the PDF/DOCX libraries.
    from .ingest import read_document

    text = read_document(source, name=name, limits=limits)
    return audit_text(text, rubric)
