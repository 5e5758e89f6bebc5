"""Wording shared by every human-readable format."""

from __future__ import annotations

from ..models import Evidence, Level

LEVEL_LABELS: dict[Level, str] = {
    Level.STRONG: "Strong",
    Level.PARTIAL: "Partial",
    Level.WEAK: "Weak",
    Level.MISSING: "Missing",
}
# A state-law finding's status in words (every report format).
STATUS_LABELS = {"violates": "Violates", "complies": "Complies", "not_addressed": "Not addressed"}


def where(evidence: Evidence) -> str:
    """ "p. 3, § 462.6 RETENTION" — as much location as the document has."""
    parts = []
    if evidence.page is not None:
        parts.append(f"p. {evidence.page}")
    if evidence.section:
        parts.append(f"§ {evidence.section}")
    return ", ".join(parts)


def days_text(days: int | None) -> str:
    return "no maximum set" if days is None else f"{days} day{'s' if days != 1 else ''}"


def split_recommendation(recommendation: str) -> tuple[str, str]:
    """(advice, model language): recommendations end with "Model language: …"."""
    advice, _, model = recommendation.partition("Model language:")
    return advice.strip(), model.strip()
