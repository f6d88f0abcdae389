"""RENAME TABLE breaks every running query and deployed code that uses the old name."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import relname
from ._common import q, rel_sql

__all__ = ["RULE", "check"]

RULE = Rule(
    id="renaming-table",
    severity="error",
    summary="Renaming an existing table",
    why="Running application versions still query the old name and fail as soon as the rename commits.",
    fix="Rename and, in the same transaction, create a view with the old name (a simple view is "
    "updatable, so old code keeps reading and writing); drop the view once no code uses the old name.",
    lock=ACCESS_EXCLUSIVE,
    kb="renaming-table",
    kinds=frozenset({"RenameStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    node = ctx.node
    if ctx.kind != "RenameStmt" or node.get("renameType") != "OBJECT_TABLE":
        return []
    rel = node.get("relation") or {}
    if ctx.is_new_table(relname(rel)):
        return []
    old, new = rel_sql(rel), q(node.get("newname", ""))
    new_sql = f"{q(rel['schemaname'])}.{new}" if rel.get("schemaname") else new
    return [
        ctx.finding(
            RULE,
            f"Renaming table {old} to {new} breaks code that still uses {old}.",
            safe_sql=(
                "BEGIN;\n"
                f"ALTER TABLE {old} RENAME TO {new};\n"
                f"CREATE VIEW {old} AS SELECT * FROM {new_sql};\n"
                "COMMIT;\n"
                f"-- once no deployed code uses the old name:\nDROP VIEW {old};"
            ),
        )
    ]
