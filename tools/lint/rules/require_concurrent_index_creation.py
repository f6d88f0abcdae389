"""CREATE INDEX without CONCURRENTLY blocks writes to the table for the whole build."""

from __future__ import annotations

from typing import Any

from ..locks import SHARE
from ..model import Finding, Rule
from ..nodes import relname
from ._common import rel_sql, rewrite

__all__ = ["RULE", "check"]

RULE = Rule(
    id="require-concurrent-index-creation",
    severity="error",
    summary="CREATE INDEX on an existing table without CONCURRENTLY",
    why="A plain CREATE INDEX holds a SHARE lock for the whole build, which can take minutes on a large "
    "table: every INSERT, UPDATE and DELETE waits.",
    fix="Build it with CREATE INDEX CONCURRENTLY (outside a transaction block). If the build fails it "
    "leaves an INVALID index: drop it with DROP INDEX CONCURRENTLY and retry.",
    lock=SHARE,
    kb="require-concurrent-index-creation",
    kinds=frozenset({"IndexStmt"}),
)


def _concurrent(stmt: Any) -> None:
    stmt.concurrent = True
    if stmt.idxname:
        stmt.if_not_exists = True


def check(ctx: Any) -> list[Finding]:
    if ctx.kind != "IndexStmt" or ctx.node.get("concurrent"):
        return []
    rel = ctx.node.get("relation") or {}
    if ctx.is_new_table(relname(rel)):
        return []
    if not rel.get("inh", False):
        return []  # ON ONLY: an index on a partitioned parent alone is instant and cannot be concurrent
    safe = rewrite(ctx, _concurrent)
    return [
        ctx.finding(
            RULE,
            f"CREATE INDEX on {rel_sql(ctx.node.get('relation'))} without CONCURRENTLY blocks writes to it "
            "until the index is built.",
            safe_sql=f"-- outside a transaction block\n{safe}" if safe else None,
        )
    ]
