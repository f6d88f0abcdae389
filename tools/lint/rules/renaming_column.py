"""RENAME COLUMN breaks every running query and deployed code that uses the old name."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import relname
from ._common import q, rel_sql

__all__ = ["RULE", "check"]

RULE = Rule(
    id="renaming-column",
    severity="error",
    summary="Renaming a column of an existing table",
    why="The rename is instant but the application versions still running (and views, functions, ORMs "
    "caching the schema) use the old name and start failing at once; rolling deploys always have old "
    "code running.",
    fix="Expand and contract: add the new column, write both, backfill, move reads to the new column, "
    "stop writing the old one, then drop it in a later release.",
    lock=ACCESS_EXCLUSIVE,
    kb="renaming-column",
    kinds=frozenset({"RenameStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    node = ctx.node
    if ctx.kind != "RenameStmt" or node.get("renameType") != "OBJECT_COLUMN":
        return []
    if node.get("relationType", "OBJECT_TABLE") != "OBJECT_TABLE" or ctx.is_new_table(relname(node.get("relation"))):
        return []
    table_sql = rel_sql(node.get("relation"))
    old, new = q(node.get("subname", "")), q(node.get("newname", ""))
    return [
        ctx.finding(
            RULE,
            f"Renaming {table_sql}.{old} to {new} breaks code that still uses {old}.",
            safe_sql=(
                f"ALTER TABLE {table_sql} ADD COLUMN {new} <type of {old}>;\n"
                f"-- deploy code writing both columns (or a trigger), backfill {new} in batches,\n"
                f"-- deploy code reading {new} only, then in a later migration:\n"
                f"ALTER TABLE {table_sql} DROP COLUMN {old};"
            ),
        )
    ]
