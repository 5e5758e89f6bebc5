"""A delete token for each saved comparison (its sha256, as for audits and jobs).

Revision ID: 0005_comparison_tokens
Revises: 0004_jobs
Create Date: 2026-12-02

Comparisons saved before this revision have no token (NULL): no one was ever given one,
so they cannot be deleted through the API; the operator deletes them in the database.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_comparison_tokens"
down_revision = "0004_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("comparisons", sa.Column("delete_token_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comparisons") as batch:
        batch.drop_column("delete_token_hash")
