"""Create the audits table.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audits",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("media_type", sa.String(128), nullable=False),
        sa.Column("rubric_id", sa.String(128), nullable=False),
        sa.Column("rubric_version", sa.String(32), nullable=False),
        sa.Column("jurisdiction", sa.String(16), nullable=False, server_default=""),
        sa.Column("scorecard", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("extracted_text", sa.Text(), nullable=False),
        sa.Column("delete_token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "sha256", "rubric_id", "rubric_version", "jurisdiction", name="uq_audits_identity"
        ),
    )
    op.create_index("ix_audits_sha256", "audits", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_audits_sha256", table_name="audits")
    op.drop_table("audits")
