"""MCP wrappers for the planning tools: index advice, migration dry-run and /plan reports."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context, MCPServer

from pgsage.tools.advisor import IndexAdvice, recommend_indexes
from pgsage.tools.dry_run import DryRunReport, dry_run_migration
from pgsage.tools.errors import WritesDisabled
from pgsage.tools.plan import PlanReport, plan_changes
from pgsage.tools.plan.build import KnowledgeHit

from .config import Config
from .registry import add_tool
from .state import AppState, app_state
from .tools_knowledge import knowledge_base

__all__ = ["register"]


async def dry_run_migration_tool(ctx: Context, sql: str, dsn: str | None = None) -> DryRunReport:
    """Apply a migration to a throwaway copy of the live schema (embedded PostgreSQL 18) and report per
    statement the errors, locks taken, tables rewritten and duration; the live database is never changed.
    `dsn` selects the operator's configured scratch database instead (everything there is rolled back)."""
    state = app_state(ctx)
    configured = state.config.scratch_dsn.get_secret_value() if state.config.scratch_dsn else None
    if dsn and dsn != configured and state.config.read_only:
        # Any SQL runs there (rolled back, but sequences, notifications and server-side effects are not):
        # only the operator may name that database, by configuration or by starting pgsage in write mode.
        raise WritesDisabled(
            "dry_run_migration runs the migration on the database you name, so a dsn other than the configured "
            "scratch database needs the server to be configured for it: set PGSAGE_SCRATCH_DSN (or --scratch-dsn),"
            " or start pgsage with --access-mode write. Without dsn the embedded sandbox is used."
        )
    return await dry_run_migration(
        sql,
        live=state.db,
        scratch_dsn=dsn or configured,
        sandbox=state.scratch_sandbox,
        statement_timeout_ms=max(state.config.statement_timeout_ms, 60_000),
    )


async def recommend_indexes_tool(
    ctx: Context,
    queries: list[str] | None = None,
    from_pg_stat_statements: bool = True,
    max_indexes: int = 5,
    max_size_mb: float | None = None,
) -> IndexAdvice:
    """Recommend indexes for the given queries and/or the top pg_stat_statements workload: candidates are
    costed with HypoPG hypothetical indexes and chosen greedily under the budget. Returns per query the cost
    before/after and plan change, per index the CREATE INDEX CONCURRENTLY statement, size and citations."""
    state = app_state(ctx)
    return await recommend_indexes(
        state.db,
        queries=queries,
        from_pg_stat_statements=from_pg_stat_statements,
        max_indexes=max_indexes,
        max_size_mb=max_size_mb,
        extra_safe=state.config.safe_functions,
        timeout_ms=max(state.config.statement_timeout_ms, 30_000),
    )


def _search(state: AppState):  # type: ignore[no-untyped-def]
    async def search(query: str, count: int) -> list[KnowledgeHit]:
        found = await knowledge_base(state).search(query, match_count=count, return_mode="pages")
        return [(h.page_id, h.title, h.url, h.content) for h in found.results]

    return search


async def plan_changes_tool(
    ctx: Context,
    feature: str,
    tables: list[str] | None = None,
    queries: list[str] | None = None,
    files: list[str] | None = None,
) -> PlanReport:
    """Produce the /plan "Database Schema Recommendations" report for a feature (Markdown plus the same
    content as data): knowledge search, review of the tables involved (live database, or `files` with the
    project's SQL), measured index advice for `queries`, and proposed DDL that lints and dry-runs clean."""
    state = app_state(ctx)
    return await plan_changes(
        feature,
        tables=tables,
        queries=queries,
        files=files,
        db=state.db if state.db.configured else None,
        search=_search(state),
        tenant_column=state.config.tenant_column,
        sandbox=state.scratch_sandbox,
    )


def register(server: MCPServer[Any], config: Config) -> None:
    add_tool(server, recommend_indexes_tool, name="recommend_indexes", title="Recommend indexes", read_only=True)
    # Not read-only in MCP terms (they create and drop a scratch database in the embedded sandbox), but never
    # destructive to anything of the user's: the live database is only read (pg_dump --schema-only, catalog).
    add_tool(
        server,
        dry_run_migration_tool,
        name="dry_run_migration",
        title="Dry-run a migration",
        read_only=False,
        destructive=False,
        idempotent=True,
    )
    add_tool(
        server,
        plan_changes_tool,
        name="plan_changes",
        title="Plan database changes",
        read_only=False,
        destructive=False,
        idempotent=True,
    )
