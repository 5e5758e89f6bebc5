"""The tables of large-batch jobs: one ``batch_jobs`` row per job, one ``batch_documents``
row per document in it (its bytes until it is scored, then its audit id or its error).

These rows are the record of what was asked and what came of it; the queue library
(``api.job_queue``) only carries "score document N" messages. Scoring a document is
idempotent on these rows, so a message delivered twice, or again after a worker was
killed, never scores a document twice nor loses one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base, utcnow

JSONType = JSON().with_variant(JSONB(), "postgresql")

# Document states. A document is "finished" when done or failed.
QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
UNFINISHED = (QUEUED, RUNNING)


class BatchJob(Base):
    __tablename__ = "batch_jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rubric_id: Mapped[str] = mapped_column(String(128))
    # "" for no state-law check, as in ``audits``.
    jurisdiction: Mapped[str] = mapped_column(String(16), default="")
    total: Mapped[int] = mapped_column(Integer)
    # Score documents that never mention license plate readers (``force``, as for one audit).
    force: Mapped[bool] = mapped_column(Boolean, default=False)
    # Audits this job creates are deleted with the job's token (its sha256 is stored on
    # each of them, exactly like a single audit's own token).
    delete_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BatchDocument(Base):
    __tablename__ = "batch_documents"
    __table_args__ = (Index("ix_batch_documents_job", "job_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("batch_jobs.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    default_name: Mapped[str] = mapped_column(String(64), default="document")
    # The uploaded bytes; cleared once the document is finished (the audit keeps its text).
    data: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    audit_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
