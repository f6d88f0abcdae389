"""DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ._common import rewrite

__all__ = ["RULE", "check"]

RULE = Rule(
    id="require-concurrent-index-deletion",
    severity="error",
    summary="DROP INDEX without CONCURRENTLY",
    why="DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: while it waits for running queries, "
    "every later query on the table queues behind it.",
    fix="Use DROP INDEX CONCURRENTLY IF EXISTS (one index per statement, no CASCADE, outside a "
    "transaction block); it waits for conflicting transactions instead of blocking new ones.",
    lock=ACCESS_EXCLUSIVE,
    kb="require-concurrent-index-deletion",
    kinds=frozenset({"DropStmt"}),
)


def _concurrent(stmt: Any) -> None:
    stmt.concurrent = True
    stmt.missing_ok = True


def check(ctx: Any) -> list[Finding]:
    node = ctx.node
    if ctx.kind != "DropStmt" or node.get("removeType") != "OBJECT_INDEX" or node.get("concurrent"):
        return []
    safe = rewrite(ctx, _concurrent)
    return [
        ctx.finding(
            RULE,
            "DROP INDEX without CONCURRENTLY locks the table against all reads and writes.",
            safe_sql=f"-- outside a transaction block\n{safe}" if safe else None,
        )
    ]
