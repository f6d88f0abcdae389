"""CONCURRENTLY index operations cannot run inside a transaction block."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule

__all__ = ["RULE", "check"]

RULE = Rule(
    id="ban-concurrent-index-creation-in-transaction",
    severity="error",
    summary="CREATE/DROP INDEX CONCURRENTLY or REINDEX CONCURRENTLY inside a transaction",
    why="PostgreSQL refuses CONCURRENTLY index operations inside a transaction block (SQLSTATE 25001), so "
    "the migration fails at this statement.",
    fix="Run the statement on its own, outside BEGIN/COMMIT. Migration tools that wrap each file in a "
    "transaction need a file or block without one (Alembic: op.get_context().autocommit_block()).",
    kb="ban-concurrent-index-creation-in-transaction",
    kinds=frozenset({"IndexStmt", "DropStmt", "ReindexStmt"}),
)


def _concurrent(ctx: Any) -> str | None:
    node = ctx.node
    if ctx.kind == "IndexStmt" and node.get("concurrent"):
        return "CREATE INDEX CONCURRENTLY"
    if ctx.kind == "DropStmt" and node.get("removeType") == "OBJECT_INDEX" and node.get("concurrent"):
        return "DROP INDEX CONCURRENTLY"
    params = [p.get("DefElem", {}).get("defname") for p in node.get("params", [])]
    if ctx.kind == "ReindexStmt" and "concurrently" in params:
        return "REINDEX CONCURRENTLY"
    return None


def check(ctx: Any) -> list[Finding]:
    what = _concurrent(ctx)
    if what is None or not ctx.in_transaction:
        return []
    return [
        ctx.finding(
            RULE,
            f"{what} inside a transaction block fails with ERROR 25001.",
            safe_sql=f"COMMIT;\n{ctx.text.rstrip(';')};\nBEGIN;  -- if the rest must stay transactional",
        )
    ]
