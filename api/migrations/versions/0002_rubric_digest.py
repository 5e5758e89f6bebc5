"""Remember each audit's rubric digest and page map, so audits are re-scored when the
rubric's files change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows get an empty digest: they are re-scored the next time they are read.
    op.add_column("audits", sa.Column("rubric_digest", sa.String(64), nullable=False,
                                      server_default=""))
    op.add_column("audits", sa.Column("pages", sa.JSON().with_variant(JSONB(), "postgresql"),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audits") as batch:
        batch.drop_column("pages")
        batch.drop_column("rubric_digest")
