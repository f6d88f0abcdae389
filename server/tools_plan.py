"""MCP wrappers for the planning tools: migration dry-run (index advice and /plan reports join here)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context, MCPServer

from pgsage.tools.dry_run import DryRunReport, dry_run_migration

from .config import Config
from .registry import add_tool
from .state import app_state

__all__ = ["register"]


async def dry_run_migration_tool(ctx: Context, sql: str, dsn: str | None = None) -> DryRunReport:
    """Apply a migration to a throwaway copy of the live schema (embedded PostgreSQL 18) and report per
    statement the errors, locks taken, tables rewritten and duration; the live database is never changed.
    Pass `dsn` to use a scratch database of your own instead (everything there is rolled back)."""
    state = app_state(ctx)
    return await dry_run_migration(
        sql,
        live=state.db,
        scratch_dsn=dsn,
        sandbox=state.scratch_sandbox,
        statement_timeout_ms=max(state.config.statement_timeout_ms, 60_000),
    )


def register(server: MCPServer[Any], config: Config) -> None:
    # Not read-only in MCP terms (it creates and drops a scratch database), but never destructive to
    # anything of the user's: the live database is only read by pg_dump --schema-only.
    add_tool(
        server,
        dry_run_migration_tool,
        name="dry_run_migration",
        title="Dry-run a migration",
        read_only=False,
        destructive=False,
        idempotent=True,
    )
