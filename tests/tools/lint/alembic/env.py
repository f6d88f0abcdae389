"""Alembic's environment script: not a revision, skipped when the folder is linted."""

from alembic import context


def run_migrations_online() -> None:
    context.run_migrations()
