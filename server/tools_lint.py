"""MCP wrapper for the migration linter (thin: argument checks and the pydantic report; logic in tools/lint)."""

from __future__ import annotations

from typing import Any

import anyio
from mcp.server.mcpserver import Context, MCPServer

from pgsage.tools.errors import DatabaseProblem, InvalidInput
from pgsage.tools.lint import LintReport, lint_paths, lint_sql, normalize_pg_version

from .config import Config
from .registry import add_tool
from .state import app_state

__all__ = ["lint_migration", "register"]

_MAX_SQL_CHARS = 2_000_000


async def _server_major(ctx: Context) -> int | None:
    """The connected server's major version, when a database is configured and answers."""
    db = app_state(ctx).db
    if not db.configured:
        return None
    try:
        return await db.server_version_num() // 10000
    except DatabaseProblem:
        return None


async def lint_migration(
    ctx: Context,
    sql: str | None = None,
    files: list[str] | None = None,
    pg_version: int | None = None,
    exclude: list[str] | None = None,
    assume_in_transaction: bool = False,
) -> LintReport:
    """Lint a migration for zero-downtime safety: blocking locks, table rewrites, unvalidated constraints,
    renames and drops that break running code, missing lock/statement timeouts.

    Pass `sql` (the statements) or `files` (.sql files, Alembic revisions or folders, linted in order).
    Each finding gives the lock taken and what it blocks, the safe SQL to run instead, position and citations.
    `pg_version` defaults to the connected server's major version, else 18; `exclude` lists rule ids to skip;
    `assume_in_transaction` when the migration tool wraps each .sql file in a transaction.
    """
    if (sql is None) == (files is None):
        raise InvalidInput("pass exactly one of `sql` (migration text) or `files` (paths to lint)")
    if sql is not None and len(sql) > _MAX_SQL_CHARS:
        raise InvalidInput(f"the SQL is longer than {_MAX_SQL_CHARS} characters: lint it in parts or as files")
    source = "argument"
    version = normalize_pg_version(pg_version) if pg_version is not None else None
    if version is None:
        version = await _server_major(ctx)
        source = "database" if version is not None else "default"
        version = normalize_pg_version(version)
    if sql is not None:
        text = sql
        report = await anyio.to_thread.run_sync(
            lambda: lint_sql(text, pg_version=version, exclude=exclude, assume_in_transaction=assume_in_transaction)
        )
    else:
        paths = list(files or [])
        report = await anyio.to_thread.run_sync(
            lambda: lint_paths(paths, pg_version=version, exclude=exclude, assume_in_transaction=assume_in_transaction)
        )
    report.pg_version_source = source  # type: ignore[assignment]
    return report


def register(server: MCPServer[Any], config: Config) -> None:
    add_tool(server, lint_migration, title="Lint a migration", read_only=True)
