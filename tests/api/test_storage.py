"""Storage: data survives a restart; only a hash of the delete token is kept."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from api.db import Audit

from .conftest import policy_text


def test_data_survives_recreating_the_app(make_client):
    first = make_client()
    created = first.post("/api/v1/audits", json={"text": policy_text("R"), "name": "r.txt"})
    assert created.status_code == 201
    body = created.json()

    second = make_client()  # a new app (and engine) on the same database
    fetched = second.get(body["links"]["self"])
    assert fetched.status_code == 200
    assert fetched.json()["criteria"] == body["criteria"]
    again = second.post("/api/v1/audits", json={"text": policy_text("R")})
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    deleted = second.delete(
        body["links"]["self"], headers={"Authorization": f"Bearer {body['delete_token']}"}
    )
    assert deleted.status_code == 204


def test_stored_row(client):
    text = policy_text("S")
    body = client.post("/api/v1/audits", json={"text": text, "name": "s.md"}).json()
    service = client.app.state.service
    with service.sessions() as session:
        row = session.scalars(select(Audit).where(Audit.id == body["id"])).one()
    assert row.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert row.name == "s.md"
    assert row.media_type
    assert row.rubric_id == body["rubric"]["id"]
    assert row.rubric_version == body["rubric"]["version"]
    assert row.jurisdiction == ""
    assert row.scorecard == {
        k: v for k, v in body.items() if k not in {"id", "links", "delete_token", "created_at"}
    }
    assert "twenty-one (21) days" in row.extracted_text
    assert row.delete_token_hash == hashlib.sha256(body["delete_token"].encode()).hexdigest()
    assert body["delete_token"] not in row.delete_token_hash
    assert row.created_at is not None


def test_migrations_are_idempotent(client):
    service = client.app.state.service
    service.migrate()
    service.migrate()
    assert client.get("/healthz").status_code == 200


def test_settings_from_env():
    from api.settings import MB, Settings

    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://u:p@h/db",
            "POLICY_AUDIT_MAX_UPLOAD_MB": "2.5",
            "POLICY_AUDIT_MAX_BATCH_ITEMS": "7",
            "POLICY_AUDIT_MAX_SECONDS": "3.5",
        }
    )
    assert settings.database_url == "postgresql://u:p@h/db"
    assert settings.max_upload_bytes == int(2.5 * MB)
    assert settings.max_batch_items == 7
    assert settings.limits.max_seconds == 3.5
    preferred = Settings.from_env(
        {"DATABASE_URL": "sqlite:///a.db", "POLICY_AUDIT_DATABASE_URL": "sqlite:///b.db"}
    )
    assert preferred.database_url == "sqlite:///b.db"
    assert Settings.from_env({}).database_url == "sqlite:///./policy-audit.db"


def test_postgres_urls_use_psycopg():
    from api.db import normalize_url

    assert normalize_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_created_at_is_utc_and_stable(client):
    created = client.post("/api/v1/audits", json={"text": policy_text("T")}).json()
    fetched = client.get(created["links"]["self"]).json()
    assert created["created_at"].endswith("+00:00")
    assert fetched["created_at"] == created["created_at"]


def test_migrations_match_the_model(client):
    """A change to api/db.py needs a new migration; this fails until it has one."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from api.db import Base
    from api.job_queue import include_name

    engine = client.app.state.service.engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []


def test_concurrent_duplicates_make_one_audit(client):
    """Two requests with the same new document at once: one row, both get it, no 500."""
    from concurrent.futures import ThreadPoolExecutor

    service = client.app.state.service
    data = policy_text("V").encode()

    def create(_: int):
        return service.create(data, name="v.txt")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(create, range(4)))
    assert len({saved.audit.id for saved in results}) == 1
    assert sum(1 for saved in results if saved.created) == 1
