"""Typed boundaries of the pipeline, one model per arrow.

bytes → ``SourceText`` (ingest) → spaCy ``Doc`` (segment) → ``Finding`` (detect)
→ ``CriterionResult`` (score) → ``Scorecard`` (report).

The ``Scorecard`` JSON shape is a public contract (see README, "JSON contract"):
rename nothing here without bumping ``SCHEMA_VERSION``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.2"  # 1.2 added evidence.reading and criteria[].decision (see CHANGELOG)


class Level(StrEnum):
    """How well a policy meets one criterion, best first."""

    STRONG = "strong"
    PARTIAL = "partial"
    WEAK = "weak"
    MISSING = "missing"


# Lower rank = weaker reading. "missing" is not ranked: it means nothing was said.
LEVEL_RANK: dict[Level, int] = {Level.WEAK: 0, Level.PARTIAL: 1, Level.STRONG: 2}


# --------------------------------------------------------------------------- ingest


class PageSpan(BaseModel):
    """Characters ``[start, end)`` of the normalised text came from page ``page`` (1-based)."""

    page: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class ExtractionQuality(BaseModel):
    """How trustworthy the extracted text is, so an unreadable file is never silently scored."""

    characters: int = 0
    words: int = 0
    pages: int | None = None
    pages_without_text: int = 0
    ocr_pages: int = 0  # pages whose text was read by OCR (no text layer)
    ocr_confidence: float | None = None  # Tesseract's mean word confidence on them, 0-100
    garbled: bool = False
    notes: list[str] = Field(default_factory=list)


class SourceText(BaseModel):
    """A document reduced to normalised text, with a map from offsets back to pages."""

    name: str
    media_type: str
    sha256: str
    text: str
    pages: list[PageSpan] = Field(default_factory=list)
    quality: ExtractionQuality = Field(default_factory=ExtractionQuality)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset``, or None for page-less sources."""
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        if self.pages and offset >= self.pages[-1].end:
            return self.pages[-1].page
        return None


# --------------------------------------------------------------------------- detect


class Duration(BaseModel):
    """A period found in the text, normalised to whole days (rounded up)."""

    text: str
    days: int
    start: int
    end: int
    bound: str = "exact"  # "max" (no later than, up to), "min" (at least), "exact"
    conflict: bool = False  # words and digits disagree: "thirty (13) days"


class Recipient(BaseModel):
    """Who the data may go to, as named in a clause."""

    kind: str  # e.g. "law_enforcement", "federal", "immigration", "private", "network", ...
    text: str
    start: int
    end: int


class ExceptionRead(BaseModel):
    """An exception that qualifies a clause, and whether it can swallow the rule."""

    text: str
    kind: str = Field(description="judicial | law | approval | evidence | statute | other")
    breadth: Literal["narrow", "broad"] = Field(
        description="narrow: a judicial warrant or order, a specific case, a named statute; "
        "broad: 'as required by law', an approval, anything else: it can swallow the rule.")


class Finding(BaseModel):
    """One clause read for one topic: what it says, how firmly, and with what exceptions."""

    model_config = ConfigDict(frozen=False)

    topic: str
    text: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    modality: str = "none"  # "mandatory" | "discretionary" | "fact" | "none"
    negated: bool = False
    exceptions: list[str] = Field(default_factory=list)
    exception_reads: list[ExceptionRead] = Field(default_factory=list)  # the same, classified
    reading_rule: str | None = None  # the reading rule that decided modality (detect/clause.py)
    durations: list[Duration] = Field(default_factory=list)
    recipients: list[Recipient] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list)  # names of the rules that matched


# --------------------------------------------------------------------------- score


class ClauseReading(BaseModel):
    """How the engine read one quoted clause: the structured reason behind the quote."""

    detector: str = Field(description="What read it: a core detector (retention, sharing, "
                          "immigration, reporting), an element criterion's id, or a state.")
    cues: list[str] = Field(description="Every rule that marked the clause "
                            "(`policy-audit rubric --cues` explains each).")
    modality: str = Field(description="mandatory | discretionary | fact | none")
    negated: bool = False
    reading_rule: str | None = Field(
        default=None, description="Which reading rule decided the modality: modal-before, "
        "modal-after, coordinated, may-only, lead-in, fact.")
    exceptions: list[ExceptionRead] = Field(default_factory=list)
    days: list[int] = Field(default_factory=list, description="Periods read, in days.")
    recipients: list[str] = Field(default_factory=list, description="Recipient kinds named.")


class Evidence(BaseModel):
    """Exact words from the document, located in the extracted text."""

    text: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    rule: str | None = None  # the rule that read this clause
    reading: ClauseReading | None = None


class Conflict(BaseModel):
    """Two clauses that pull one criterion in different directions; the weaker one decided."""

    description: str
    stronger: Evidence
    weaker: Evidence


ElementStatus = Literal["firm", "qualified", "soft", "absent"]


class ElementCheck(BaseModel):
    """One element of an element criterion, and how the policy states it."""

    id: str
    label: str
    status: ElementStatus = Field(
        description="firm: binding language; qualified: only under an approval exception; "
        "soft: should/may; absent: not stated.")


class Decision(BaseModel):
    """Why a criterion got its level, as data: the scorer, the level rule that fired, and
    for element criteria each element's status and the loopholes that decided."""

    scorer: str
    rule: str
    elements: list[ElementCheck] = Field(default_factory=list)
    loopholes: list[str] = Field(default_factory=list)
    conflicts: int = Field(default=0, description="Clauses that pulled the other way.")


class CriterionResult(BaseModel):
    id: str
    title: str
    level: Level
    score: float
    weight: float = 1.0
    evidence: list[Evidence] = Field(default_factory=list)
    explanation: str
    recommendation: str
    rule: str | None = None  # id of the level rule that decided
    conflicts: list[Conflict] = Field(default_factory=list)
    decision: Decision | None = None


class DocumentInfo(BaseModel):
    name: str
    agency: str | None = Field(
        default=None, description="The agency whose policy this is, as the document names it "
        "(letterhead, title line or the agency it names most); null when none was found.")
    sha256: str
    media_type: str
    pages: int | None = None
    characters: int
    words: int = 0
    garbled: bool = False


class RubricRef(BaseModel):
    id: str
    version: str
    digest: str = Field(default="", description="sha256 of the rubric's files: its identity.")


class Overall(BaseModel):
    score: float = Field(ge=0, le=100)
    grade: str
    meaning: str = Field(default="", description="What the grade tells a reader, from the "
                         "rubric's grade_meanings.")
    percentile: float | None = Field(
        default=None, ge=0, le=100, description="The share (0-100) of the reference set's "
        "real policies, scored with the same rubric, that score below this one (ties count "
        "half); null for a rubric the reference set was not scored with.")
    peers: int = Field(default=0, ge=0, description="How many real policies that is among.")


class Facts(BaseModel):
    """Numbers and flags a reader wants at a glance; extra keys may be added by rubrics."""

    model_config = ConfigDict(extra="allow")

    retention_days: int | None = None


class LegalFinding(BaseModel):
    """One statutory requirement of a jurisdiction checked against the policy."""

    jurisdiction: str
    requirement: str
    statute: str
    status: Literal["violates", "complies", "not_addressed"]
    message: str
    evidence: list[Evidence] = Field(default_factory=list)
    verified: bool = True  # False: the research behind it is unconfirmed; the message says so
    effective: date | None = None


class LoopholeFound(BaseModel):
    """Wording known to undo a safeguard ("as long as necessary"), where the policy uses it."""

    id: str
    title: str
    criterion: str
    why: str
    source: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Scorecard(BaseModel):
    schema_version: str = SCHEMA_VERSION
    document: DocumentInfo
    rubric: RubricRef
    overall: Overall
    facts: Facts
    criteria: list[CriterionResult]
    jurisdiction: str | None = None
    legal_findings: list[LegalFinding] = Field(default_factory=list)
    loopholes: list[LoopholeFound] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def criterion(self, criterion_id: str) -> CriterionResult:
        for result in self.criteria:
            if result.id == criterion_id:
                return result
        raise KeyError(criterion_id)
