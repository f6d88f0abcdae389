"""MCP prompts a client can offer as slash commands: the seed's /plan research workflow and a migration review."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from .config import Config

__all__ = ["register"]

_PLAN = """\
Plan the database side of this feature: {feature}

Work in this order and cite what you rely on:
1. rag_get_available_sources, then rag_search_knowledge_base (short keyword queries) and
   rag_search_code_examples for the patterns the feature needs; open the best pages with rag_read_full_page.
2. Read the project's schema: the SQL files ({files}) and, if a database is connected, db_overview and
   describe_object for the tables involved ({tables}).
3. review_schema on those tables (pass the queries the feature will run) and recommend_indexes for the queries.
4. plan_changes with the feature, tables, queries and files: it returns the "Database Schema Recommendations"
   report; check its proposed DDL with lint_migration and dry_run_migration.
5. Answer with the report. Every recommendation says why, shows the evidence, and cites knowledge pages with
   their official URLs and project files with line numbers. Say where you deviate from project conventions.
"""

_REVIEW = """\
Review this migration for zero-downtime safety before it runs in production:

```sql
{sql}
```

1. lint_migration on it (pg_version {pg_version}): for each finding, the lock it takes, what that lock blocks,
   and the safe sequence of statements instead.
2. If a database is connected, dry_run_migration on it to see the real locks, table rewrites and errors.
3. Propose the corrected migration (CONCURRENTLY, NOT VALID then VALIDATE, lock_timeout, batched backfills),
   lint it again until it is clean, and cite the knowledge pages behind each change.
"""


def register(server: MCPServer[Any], config: Config) -> None:
    @server.prompt(name="plan_database_feature", title="Plan a database feature")
    def plan_database_feature(feature: str, tables: str = "", files: str = "sql/") -> str:
        """Research, review and plan the schema, indexes and migration for a feature, with citations."""
        return _PLAN.format(feature=feature, tables=tables or "the ones the feature touches", files=files)

    @server.prompt(name="review_migration", title="Review a migration")
    def review_migration(sql: str, pg_version: str = "the connected server's") -> str:
        """Check a migration for locks, rewrites and unsafe steps, and propose the safe version."""
        return _REVIEW.format(sql=sql, pg_version=pg_version)
