"""Saved comparisons: versions (saved audits, or documents scored now and saved as audits)
→ a ``Comparison`` stored under a permanent id.

Every version is an audit first, so uploads get the audits' limits, worker pool, deadline
and dedupe; a comparison is then identified by its ordered audit ids, and asking again for
the same versions returns the saved comparison (200) instead of a new one (201).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, UniqueConstraint
from sqlalchemy import delete as sa_delete
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from policy_audit import PolicyVersion as Version
from policy_audit import Scorecard, compare_to_model, compare_versions

from .db import Audit, Base, utcnow
from .problems import Problem
from .service import AuditService, check_delete_token, hash_token

MAX_VERSIONS = 10  # a draft, a counter-draft, a revision and amendments fit easily
JSONType = JSON().with_variant(JSONB(), "postgresql")


class SavedComparison(Base):
    __tablename__ = "comparisons"
    __table_args__ = (UniqueConstraint("identity", name="uq_comparisons_identity"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    identity: Mapped[str] = mapped_column(String(64))
    audit_ids: Mapped[list[str]] = mapped_column(JSONType)
    comparison: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # sha256 of the delete token given once at creation; NULL for comparisons saved before
    # tokens existed (migration 0005), which no token deletes.
    delete_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


@dataclass(frozen=True)
class AuditRef:
    """A version given as a saved audit's id."""

    audit_id: str


@dataclass(frozen=True)
class Upload:
    """A version given as a document (file bytes or pasted text) to score now."""

    data: bytes
    name: str | None
    default_name: str = "document"


VersionIn = AuditRef | Upload


@dataclass
class SavedResult:
    row: SavedComparison
    created: bool
    delete_token: str | None = None  # only when created


def check_count(count: int) -> None:
    if count == 0:
        raise Problem(422, "No versions: send saved audit ids and/or documents, oldest "
                      "first (one alone is compared with the rubric's model language).",
                      code="no-versions")
    if count > MAX_VERSIONS:
        raise Problem(413, f"{count} versions in one comparison; the limit is "
                      f"{MAX_VERSIONS}.", code="too-many-documents")


def identity(audit_ids: list[str], baseline: bool = False) -> str:
    mode = "compare-first:" if baseline and len(audit_ids) > 2 else "compare:"
    return hashlib.sha256((mode + "\n".join(audit_ids)).encode()).hexdigest()


def _saved_audit(service: AuditService, audit_id: str) -> Audit:
    try:
        return service.get(audit_id.strip())
    except Problem:
        raise Problem(422, f"No saved audit with id {audit_id.strip()[:80]!r}: give the id "
                      "from an audit's link (/audits/<id>).", code="unknown-audit") from None


def create(service: AuditService, versions: list[VersionIn], *, rubric: str | None,
           jurisdiction: str | None, baseline: bool = False) -> SavedResult:
    """Score the uploads (as audits), check that every version was scored the same way,
    compare them, store the comparison. Synchronous: call it in a thread.

    A new comparison gets a delete token (returned once, in the result); the audits its
    uploads create carry the same token's hash, so that token deletes them too, as a
    job's token deletes the audits of the job."""
    check_count(len(versions))
    token = secrets.token_urlsafe(32)
    token_hash = hash_token(token)
    saved = {v.audit_id: _saved_audit(service, v.audit_id)
             for v in versions if isinstance(v, AuditRef)}
    if saved and rubric is None and jurisdiction is None:
        # Uploads are scored the way the saved versions were.
        first = next(iter(saved.values()))
        rubric, jurisdiction = first.rubric_id, first.jurisdiction or None
    loaded, state = service.check_request(rubric, jurisdiction)
    for audit in saved.values():
        if (audit.rubric_id, audit.rubric_version) != (loaded.id, loaded.version):
            raise Problem(422, f"Audit {audit.id} was scored with rubric {audit.rubric_id} "
                          f"{audit.rubric_version}, not {loaded.id} {loaded.version}: compare "
                          "versions scored with the same rubric.", code="mixed-rubrics")
        if audit.jurisdiction != state:
            raise Problem(422, f"Audit {audit.id} was checked against "
                          f"{audit.jurisdiction or 'no state law'}, not {state or 'no state law'}"
                          ": compare versions checked the same way.",
                          code="mixed-jurisdictions")
    audits: list[Audit] = []
    for version in versions:
        if isinstance(version, AuditRef):
            audits.append(saved[version.audit_id])
        else:
            audits.append(service.create(version.data, name=version.name, rubric=loaded.id,
                                         jurisdiction=state or None,
                                         default_name=version.default_name,
                                         delete_token_hash=token_hash).audit)
    ids = [audit.id for audit in audits]
    key = identity(ids, baseline)
    existing = find(service, key)
    if existing is not None:
        return SavedResult(existing, created=False)
    inputs = [Version(Scorecard.model_validate(a.scorecard), a.extracted_text, audit_id=a.id)
              for a in audits]
    comparison = compare_versions(inputs, baseline=baseline) if len(inputs) > 1 else \
        compare_to_model(inputs[0], loaded)
    row = SavedComparison(id=secrets.token_urlsafe(16), identity=key, audit_ids=ids,
                          comparison=comparison.model_dump(mode="json"),
                          delete_token_hash=token_hash)
    with service.sessions() as session:
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # the same comparison was stored meanwhile
            session.rollback()
            existing = find(service, key)
            if existing is None:
                raise
            return SavedResult(existing, created=False)
    return SavedResult(row, created=True, delete_token=token)


def find(service: AuditService, key: str) -> SavedComparison | None:
    from sqlalchemy import select

    with service.sessions() as session:
        return session.scalars(select(SavedComparison).where(
            SavedComparison.identity == key)).first()


def get(service: AuditService, comparison_id: str) -> SavedComparison:
    with service.sessions() as session:
        row = session.get(SavedComparison, comparison_id) if len(comparison_id) <= 64 else None
    if row is None:
        raise Problem(404, f"No comparison with id {comparison_id!r}.", code="not-found")
    return row


def delete(service: AuditService, comparison_id: str, authorization: str | None) -> None:
    """Delete a saved comparison with its delete token (401 without one, 403 with another).
    The audits of its versions stay: they are audits in their own right (those its uploads
    created are deleted with the same token, ``DELETE /api/v1/audits/{id}``)."""
    row = get(service, comparison_id)
    try:
        check_delete_token(authorization, row.delete_token_hash or "", "a comparison")
    except Problem as problem:
        if problem.status == 403 and row.delete_token_hash is None:
            raise Problem(403, "This comparison was saved before comparisons had delete "
                          "tokens, so no token deletes it; ask the service's operator.",
                          code="forbidden") from None
        raise
    with service.sessions() as session:
        session.execute(sa_delete(SavedComparison).where(SavedComparison.id == row.id))
        session.commit()
