"""Migrations apply on any database URL the service accepts, and the job tables come and go
with their revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from api.db import MIGRATIONS_DIR, make_engine, migrate


def test_a_url_with_an_escaped_character_migrates(tmp_path: Path) -> None:
    # "%25" is how a "%" in a password (or a path) is written in a URL; Alembic's config
    # must not read it as interpolation.
    engine = make_engine(f"sqlite:///{tmp_path}/odd%25name.db")
    try:
        migrate(engine)
        assert "audits" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    assert (tmp_path / "odd%name.db").exists()


def test_the_jobs_revision_downgrades_and_upgrades_again(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)
        tables = set(inspect(engine).get_table_names())
        assert {"batch_jobs", "batch_documents"} <= tables
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.downgrade(config, "0004_jobs-1")
        left = set(inspect(engine).get_table_names())
        assert not any(t.startswith(("batch_", "procrastinate_")) for t in left)
        migrate(engine)
        assert set(inspect(engine).get_table_names()) == tables
    finally:
        engine.dispose()


def test_the_comparison_token_revision_downgrades_and_upgrades_again(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)

        def columns() -> set[str]:
            return {c["name"] for c in inspect(engine).get_columns("comparisons")}

        assert "delete_token_hash" in columns()
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.downgrade(config, "0004_jobs")
        assert "delete_token_hash" not in columns() and "identity" in columns()
        migrate(engine)
        assert "delete_token_hash" in columns()
    finally:
        engine.dispose()
