"""Alembic's entry point: run by :func:`funnel.store.engine.upgrade` on the connection (and
inside the transaction) it hands over, never from the command line."""

from __future__ import annotations

from alembic import context

from funnel.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by copying it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
