"""Saved comparisons of policy versions.

Revision ID: 0003_comparisons
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003_comparisons"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comparisons",
        sa.Column("id", sa.String(64), primary_key=True),
        # sha256 of the kind and the ordered audit ids: the same request finds the same row
        sa.Column("identity", sa.String(64), nullable=False),
        sa.Column("audit_ids", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("comparison", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("identity", name="uq_comparisons_identity"),
    )


def downgrade() -> None:
    op.drop_table("comparisons")
