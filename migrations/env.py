"""Alembic environment: runs on the connection gatedmem hands in, or on sqlalchemy.url."""

from __future__ import annotations

from alembic import context
from gatedmem.memory.storage import Base
from sqlalchemy import create_engine

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        run(conn)
