"""MCP wrapper for the schema review (thin: argument checks and the pydantic report; logic in tools/review)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from mcp.server.mcpserver import Context, MCPServer

from pgsage.tools.errors import InvalidInput
from pgsage.tools.review import ReviewReport, review
from pgsage.tools.review.workload import top_statements
from pgsage.tools.schema_model import SchemaModel, load_model_from_db, load_model_from_sql

from .config import Config
from .registry import add_tool
from .state import app_state

__all__ = ["register", "review_schema"]

_MAX_SQL_CHARS = 2_000_000
_MAX_QUERIES = 500


def _only_tables(model: SchemaModel, tables: list[str]) -> SchemaModel:
    names = {name.strip() for name in tables if name.strip()}
    kept = [t for t in model.tables if t.name in names or t.qualified in names]
    found = {t.name for t in kept} | {t.qualified for t in kept}
    missing = sorted(names - found)
    if missing:
        raise InvalidInput(f"the SQL defines no table named {', '.join(missing)}")
    return model.model_copy(update={"tables": kept})


async def review_schema(
    ctx: Context,
    schema: str | None = None,
    tables: list[str] | None = None,
    sql: str | None = None,
    files: list[str] | None = None,
    queries: list[str] | None = None,
    rules: list[str] | None = None,
    exclude: list[str] | None = None,
    from_pg_stat_statements: bool = False,
) -> ReviewReport:
    """Review a schema's design (tenant isolation and RLS, FK/JSONB/vector indexes, timestamptz, identity keys,
    varchar(n), primary keys, duplicate indexes, naming); each finding has why, evidence, a safe fix and citations.

    Reads the connected database (optionally one `schema`, some `tables`) unless `sql` or `files` (schema files,
    migration folders) are given. `queries` (or `from_pg_stat_statements`) show how jsonb/vector columns are
    searched; `rules` runs only those rule ids, `exclude` switches rules off.
    """
    state = app_state(ctx)
    if sql is not None and len(sql) > _MAX_SQL_CHARS:
        raise InvalidInput(f"the SQL is longer than {_MAX_SQL_CHARS} characters: pass it as files instead")
    if queries is not None and len(queries) > _MAX_QUERIES:
        raise InvalidInput(f"pass at most {_MAX_QUERIES} queries (the most frequent or slowest ones)")
    if files is not None and any(not f.strip() for f in files):
        # Path("") is the current folder: an empty name must be an error, not a walk of the server's cwd.
        raise InvalidInput("`files` contains an empty path: name .sql files or folders of them")
    if tables is not None and not [t for t in tables if t.strip()]:
        raise InvalidInput("`tables` must name at least one table, or be omitted")
    if sql is None and not files:
        model = await load_model_from_db(state.db, [schema] if schema else None, tables)
    else:
        sources: list[str | Path] = [Path(f) for f in files or []]
        if sql is not None:
            sources.append(sql)
        model = await anyio.to_thread.run_sync(lambda: load_model_from_sql(sources))
        if schema:
            model = model.model_copy(update={"tables": [t for t in model.tables if t.schema_name == schema]})
        if tables:
            model = _only_tables(model, tables)
    # The live workload needs the database even when the schema comes from files.
    workload = await top_statements(state.db) if from_pg_stat_statements else None
    tenant = state.config.tenant_column
    cap = state.config.max_rows
    max_bytes = state.config.max_bytes
    return await anyio.to_thread.run_sync(
        lambda: review(
            model,
            rules=rules,
            skip=exclude,
            tenant_column=tenant,
            queries=queries,
            workload=workload,
            max_findings=cap,
            max_bytes=max_bytes,
        )
    )


def register(server: MCPServer[Any], config: Config) -> None:
    add_tool(server, review_schema, title="Review a schema design", read_only=True)
