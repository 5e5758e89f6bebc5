"""Large-batch jobs: ``batch_jobs`` and ``batch_documents``; on PostgreSQL, the queue's
own schema (procrastinate's tables and functions).

Revision ID: 0004_jobs
Revises: 0003_comparisons
Create Date: 2026-12-02

procrastinate is pinned to one minor version in pyproject.toml: moving to a newer one
means a new revision here that runs the SQL files procrastinate ships for that step
(``procrastinate/sql/migrations/``), in order.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004_jobs"
down_revision = "0003_comparisons"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_jobs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("rubric_id", sa.String(128), nullable=False),
        sa.Column("jurisdiction", sa.String(16), nullable=False, server_default=""),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("force", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("delete_token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "batch_documents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "job_id",
            sa.String(64),
            sa.ForeignKey("batch_jobs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(1000), nullable=True),
        sa.Column("default_name", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.String(64), nullable=True),
        sa.Column("created", sa.Boolean(), nullable=True),
        sa.Column("problem", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_batch_documents_job", "batch_documents", ["job_id", "position"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from api.job_queue import DROP_PROCRASTINATE

        _run_script(DROP_PROCRASTINATE)
    op.drop_index("ix_batch_documents_job", table_name="batch_documents")
    op.drop_table("batch_documents")
    op.drop_table("batch_jobs")


def _run_script(sql: str) -> None:
    """Run a multi-statement SQL script as it is, in the migration's transaction: on the
    driver's own cursor, without parameters (the PL/pgSQL has "%", "::" and ":=" that
    SQLAlchemy and psycopg would otherwise read as placeholders)."""
    dbapi_connection = op.get_bind().connection.dbapi_connection
    assert dbapi_connection is not None  # the migration's open connection
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()
