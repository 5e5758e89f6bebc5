"""The audit pipeline: ingest → segment → detect → score.

The spaCy pipeline, the trigger matcher and the rubric are built once per process and
reused; one ``audit`` call only runs them.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .detect import detect
from .errors import EmptyDocumentError
from .jurisdiction import check, load_jurisdiction
from .loopholes import find_loopholes
from .models import Scorecard, SourceText
from .relevance import screen
from .rubric import Rubric, load_rubric
from .scoring import score_document
from .segment import make_doc

if TYPE_CHECKING:
    from .ingest import Limits, Progress


# spaCy's shared vocabulary (its string store, the cached matchers) is mutated while a
# document is read: new words are interned, matchers are built on first use. Two threads
# doing that at once corrupt it for good ("[E018] Can't retrieve string for hash"). The
# work is CPU-bound Python, so threads would not run it in parallel anyway: one at a time
# per process, and parallel scoring uses worker processes (``policy_audit.worker``).
_NLP_LOCK = threading.Lock()


def audit_text(
    source: SourceText,
    rubric: str | Path | Rubric | None = None,
    *,
    jurisdiction: str | None = None,
) -> Scorecard:
    """Score already-ingested text (the service and tests use this directly)."""
    if not source.text.strip():
        raise EmptyDocumentError(f"{source.name}: no text to score")
    loaded = load_rubric(rubric)
    state = load_jurisdiction(jurisdiction) if jurisdiction else None  # fail before work
    with _NLP_LOCK:
        doc = make_doc(source.text)
        findings = detect(doc, source, loaded)
        card = score_document(source, findings, loaded)
        named_loopholes = find_loopholes(doc, source)
    # The named loopholes of the library, and those a criterion's own rules found (already
    # on the card): one list, so a criterion never names a loophole the list lacks.
    named = {(found.id, found.criterion) for found in card.loopholes}
    card.loopholes += [found for found in named_loopholes
                       if (found.id, found.criterion) not in named]
    if state is not None:
        card.jurisdiction = state.id.upper()
        card.legal_findings = check(state, card, findings, text=source.text)
    return card


def audit(
    source: Path | str | bytes,
    *,
    rubric: str | Path | Rubric | None = None,
    name: str | None = None,
    limits: Limits | None = None,
    jurisdiction: str | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> Scorecard:
    """Read a policy (path or bytes) and score it against a rubric, optionally checking a
    state's ALPR statutes (``jurisdiction="VA"``). ``progress(step, total)`` is called
    before each scanned page is read by OCR. A document that never mentions license plate
    readers raises ``NotAPolicyError`` unless ``force`` is true."""
    # Imported here so that scoring ready-made text never loads the PDF/DOCX libraries.
    from .ingest import read_document

    if jurisdiction:
        load_jurisdiction(jurisdiction)  # an unknown state fails before the file is read
    text = read_document(source, name=name, limits=limits, progress=progress)
    warning = screen(text, force=force)
    card = audit_text(text, rubric, jurisdiction=jurisdiction)
    if warning:
        card.warnings.insert(0, warning)
    return card
