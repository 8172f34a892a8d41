"""Alembic environment: uses the caller's connection, or DATABASE_URL from the settings."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import models  # noqa: F401  (registers every table on Base.metadata)
from models.base import Base

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    from bot.runtime.config import Settings

    engine = create_engine(Settings.from_env().effective_database_url)
    with engine.begin() as conn:
        _run_with(conn)


def _run_with(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
