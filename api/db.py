"""Storage: one ``audits`` table (SQLAlchemy 2), schema managed by Alembic migrations that
live in ``api/migrations`` and are applied programmatically when the app starts.

SQLite is the default (``sqlite:///./policy-audit.db``); ``postgresql://`` URLs use psycopg 3.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Index,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# JSONB on PostgreSQL (queryable, compact), JSON text elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    return datetime.now(UTC)


class Audit(Base):
    __tablename__ = "audits"
    __table_args__ = (
        UniqueConstraint(
            "sha256", "rubric_id", "rubric_version", "jurisdiction", name="uq_audits_identity"
        ),
        Index("ix_audits_sha256", "sha256"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(512))
    media_type: Mapped[str] = mapped_column(String(128))
    rubric_id: Mapped[str] = mapped_column(String(128))
    rubric_version: Mapped[str] = mapped_column(String(32))
    # The rubric's identity when this was scored: a different digest means re-score.
    rubric_digest: Mapped[str] = mapped_column(String(64), default="")
    # "" when no state-law check was asked for, so that the unique constraint holds
    # (NULLs never collide in a unique index).
    jurisdiction: Mapped[str] = mapped_column(String(16), default="")
    scorecard: Mapped[dict[str, Any]] = mapped_column(JSONType)
    extracted_text: Mapped[str] = mapped_column(Text)
    # The page map of the extracted text (PageSpan dicts), so a re-score keeps page numbers.
    pages: Mapped[list[dict[str, int]] | None] = mapped_column(JSONType, nullable=True)
    delete_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def normalize_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` → the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # "%" (an escaped character in a password) would be read as configparser interpolation.
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers or hosts may start at once: one migrates, the others wait.
            connection.execute(text("SELECT pg_advisory_xact_lock(7413306411)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
