"""TRUNCATE in a migration: ACCESS EXCLUSIVE lock and data loss (CASCADE widens it to other tables)."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import relname
from ._common import rel_sql

__all__ = ["RULE", "check"]

RULE = Rule(
    id="ban-truncate",
    severity="error",
    summary="TRUNCATE of an existing table",
    why="TRUNCATE takes an ACCESS EXCLUSIVE lock and removes every row at once; with CASCADE it also "
    "empties every table that references it through a foreign key, recursively.",
    fix="Delete the rows you mean to remove with DELETE in batches, naming each table explicitly; never "
    "use CASCADE in a migration.",
    lock=ACCESS_EXCLUSIVE,
    kb="ban-truncate",
    kinds=frozenset({"TruncateStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    if ctx.kind != "TruncateStmt":
        return []
    rels = [r.get("RangeVar", {}) for r in ctx.node.get("relations", [])]
    existing = [r for r in rels if not ctx.is_new_table(relname(r))]
    if not existing:
        return []
    names = ", ".join(rel_sql(r) for r in existing)
    cascade = ctx.node.get("behavior") == "DROP_CASCADE"
    extra = " CASCADE also empties every table referencing them." if cascade else ""
    return [
        ctx.finding(
            RULE,
            f"TRUNCATE {names} deletes all rows under an ACCESS EXCLUSIVE lock.{extra}",
            safe_sql=f"DELETE FROM {rel_sql(existing[0])} WHERE <key> IN "
            f"(SELECT <key> FROM {rel_sql(existing[0])} LIMIT 10000);  -- repeat until done",
        )
    ]
