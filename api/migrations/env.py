"""Alembic environment: runs on the connection ``api.db.migrate`` hands over.

From the command line (``alembic -c api/alembic.ini ...``) it connects to
POLICY_AUDIT_DATABASE_URL / DATABASE_URL instead.
"""

from __future__ import annotations

from alembic import context

from api.db import Base, make_engine
from api.job_queue import include_name
from api.job_store import BatchDocument  # noqa: F401  (its tables are in Base.metadata)
from api.settings import Settings

target_metadata = Base.metadata
config = context.config


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=include_name,  # the queue libraries' own tables are theirs
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    engine = make_engine(url)
    with engine.begin() as conn:
        run_migrations(conn)
