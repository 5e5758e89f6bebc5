"""What the endpoints do, without HTTP: score a document, store it, find it, delete it.

Every method is synchronous; the routes call them in a threadpool. Documents are read and
scored in the worker processes of ``policy_audit.worker.AuditPool`` (a deadline and a
memory cap on each audit); an audit is stored only after it succeeded.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from policy_audit import (
    DEFAULT_RUBRIC,
    AuditJob,
    AuditPool,
    PageSpan,
    Rubric,
    SourceText,
    list_rubrics,
    load_jurisdiction,
)

from .db import Audit, make_engine, make_sessionmaker, migrate, ping
from .problems import Problem
from .settings import Settings

log = logging.getLogger("api")

MAX_NAME = 255


@dataclass
class Saved:
    audit: Audit
    created: bool
    delete_token: str | None = None  # only when created


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_delete_token(authorization: str | None, token_hash: str, what: str) -> None:
    """The bearer token must be the one issued when ``what`` (an audit, a job) was created:
    401 without one, 403 when it does not match (compared in constant time)."""
    noun = what.split()[-1]
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Problem(
            401,
            f"Deleting {what} needs its delete token: send 'Authorization: Bearer "
            f"<delete_token>' (returned when the {noun} was created).",
            code="unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="policy-audit"'},
        )
    if not hmac.compare_digest(hash_token(token), token_hash):
        raise Problem(403, f"That delete token does not match this {noun}.",
                      code="forbidden")


def clean_name(name: str | None, default: str) -> str:
    """A display name: the last path component of what the client sent, trimmed."""
    if not name:
        return default
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:MAX_NAME] or default


def make_pool(settings: Settings) -> AuditPool:
    return AuditPool(
        settings.workers,
        deadline=settings.deadline_seconds,
        memory_mb=settings.worker_memory_mb,
        deadline_hint="the server's POLICY_AUDIT_DEADLINE_SECONDS",
        memory_hint="the server's POLICY_AUDIT_WORKER_MEMORY_MB",
    )


class AuditService:
    def __init__(
        self, settings: Settings, engine: Engine | None = None, pool: AuditPool | None = None
    ) -> None:
        """``pool``: share an audit pool (tests); by default the service starts its own
        from the settings, and ``dispose`` stops it."""
        self.settings = settings
        self.engine = engine or make_engine(settings.database_url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)
        self._owns_pool = pool is None
        self.pool = pool if pool is not None else make_pool(settings)

    def migrate(self) -> None:
        migrate(self.engine)

    def ping(self) -> None:
        ping(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._owns_pool:
            self.pool.close()

    # rubrics -----------------------------------------------------------------------

    @cached_property
    def rubrics(self) -> dict[str, Rubric]:
        return {rubric.id: rubric for rubric in list_rubrics()}

    def rubric(self, name: str | None) -> Rubric:
        """Only shipped rubrics, by id: a client must never make the server read a path."""
        name = name or DEFAULT_RUBRIC
        try:
            return self.rubrics[name]
        except KeyError:
            known = ", ".join(sorted(self.rubrics))
            raise Problem(
                422,
                f"{name!r} is not a rubric this service knows; use one of: {known}",
                code="unknown-rubric",
            ) from None

    # audits ------------------------------------------------------------------------

    def check_request(self, rubric: str | None, jurisdiction: str | None) -> tuple[Rubric, str]:
        """Refuse what can be refused before reading the document: an unknown rubric or
        state (``UnknownJurisdictionError``, 422). Returns the rubric and the state code
        as stored and shown on the scorecard ("VA"), or "" for no state-law check."""
        loaded = self.rubric(rubric)
        code = (jurisdiction or "").strip()
        if code:
            code = load_jurisdiction(code).id.upper()
        return loaded, code

    def create(
        self,
        data: bytes,
        *,
        name: str | None,
        rubric: str | None = None,
        jurisdiction: str | None = None,
        default_name: str = "document",
        force: bool = False,
        delete_token_hash: str | None = None,
    ) -> Saved:
        """``delete_token_hash``: store this (a job's token, api/job_service.py) instead of
        making a new token; the ``Saved`` then carries no token."""
        loaded, state = self.check_request(rubric, jurisdiction)
        name = clean_name(name, default_name)
        if len(data) > self.settings.max_upload_bytes:
            raise Problem(
                413,
                f"{name}: the document is {len(data):,} bytes; the limit is "
                f"{self.settings.max_upload_bytes:,} bytes",
                code="too-large",
            )
        sha256 = hashlib.sha256(data).hexdigest()
        existing = self.find(sha256, loaded, state)
        if existing is not None:
            return Saved(self.fresh(existing, data), created=False)

        # The shipped rubric goes by id: each worker loads (and caches) it once.
        job = AuditJob(data, name, loaded.id, state or None, self.settings.limits, force=force)
        result = self.pool.run(job)
        source, card = result.source, result.scorecard
        token = secrets.token_urlsafe(32) if delete_token_hash is None else None
        audit = Audit(
            id=secrets.token_urlsafe(16),
            sha256=source.sha256,
            name=source.name[:512],
            media_type=source.media_type,
            rubric_id=loaded.id,
            rubric_version=loaded.version,
            rubric_digest=loaded.digest,
            jurisdiction=state,
            scorecard=card.model_dump(mode="json"),
            extracted_text=source.text,
            pages=[span.model_dump() for span in source.pages],
            delete_token_hash=delete_token_hash or hash_token(token or ""),
        )
        with self.sessions() as session:
            session.add(audit)
            try:
                session.commit()
            except IntegrityError:
                # The same document was stored meanwhile by a concurrent request.
                session.rollback()
                existing = self.find(sha256, loaded, state)
                if existing is None:
                    raise
                return Saved(existing, created=False)
        return Saved(audit, created=True, delete_token=token)

    def find(self, sha256: str, rubric: Rubric, jurisdiction: str = "") -> Audit | None:
        """The saved audit of this document under this rubric and state: the one scored
        with the rubric's current version first, else an older one (to be re-scored)."""
        query = select(Audit).where(
            Audit.sha256 == sha256,
            Audit.rubric_id == rubric.id,
            Audit.jurisdiction == jurisdiction,
        ).order_by((Audit.rubric_version == rubric.version).desc(), Audit.created_at.desc())
        with self.sessions() as session:
            return session.scalars(query).first()

    def get(self, audit_id: str) -> Audit:
        with self.sessions() as session:
            audit = session.get(Audit, audit_id) if len(audit_id) <= 64 else None
        if audit is None:
            raise Problem(404, f"No audit with id {audit_id!r}.", code="not-found")
        return self.fresh(audit)

    def fresh(self, audit: Audit, data: bytes | None = None) -> Audit:
        """The audit as the current rubric scores it. When the rubric's files changed since
        it was scored (another digest), it is re-scored in place (same id, same delete
        token): from the uploaded bytes when a client sends the document again, else from
        the stored text and page map. A rubric the service no longer ships leaves it as is."""
        rubric = self.rubrics.get(audit.rubric_id)
        if rubric is None or audit.rubric_digest == rubric.digest:
            return audit
        stored = SourceText(name=audit.name, media_type=audit.media_type, sha256=audit.sha256,
                            text=audit.extracted_text,
                            pages=[PageSpan(**span) for span in audit.pages or []])
        job = AuditJob(data if data is not None else stored, audit.name, rubric,
                       audit.jurisdiction or None, self.settings.limits)
        result = self.pool.run(job)
        with self.sessions() as session:
            row = session.get(Audit, audit.id)
            if row is None:  # deleted meanwhile
                raise Problem(404, f"No audit with id {audit.id!r}.", code="not-found")
            row.scorecard = result.scorecard.model_dump(mode="json")
            # rubric_version stays as first stored: it is part of the dedupe key, and the
            # scorecard itself names the version and digest it was scored with.
            row.rubric_digest = rubric.digest
            row.extracted_text = result.source.text
            row.pages = [span.model_dump() for span in result.source.pages]
            session.commit()
            session.refresh(row)
            session.expunge(row)
        log.info("re-scored audit %s under %s %s", audit.id, rubric.id, rubric.digest[:12])
        return row

    def delete(self, audit_id: str, authorization: str | None) -> None:
        audit = self.get(audit_id)
        check_delete_token(authorization, audit.delete_token_hash, "an audit")
        with self.sessions() as session:
            stored = session.get(Audit, audit_id)
            if stored is not None:
                session.delete(stored)
                session.commit()
