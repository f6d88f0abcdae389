"""DROP COLUMN breaks code that still reads or writes the column."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ._common import alter_cmds, q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="ban-drop-column",
    severity="error",
    summary="Dropping a column of an existing table",
    why="The drop itself is quick (the column is only marked dropped) but needs an ACCESS EXCLUSIVE lock, "
    "and any deployed code that selects, inserts or caches the column fails immediately; the data is gone.",
    fix="First deploy code that no longer uses the column (ORMs: mark it ignored), then drop it in a "
    "later migration with a lock_timeout so the drop cannot queue traffic behind it.",
    lock=ACCESS_EXCLUSIVE,
    kb="ban-drop-column",
    kinds=frozenset({"AlterTableStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    out = []
    for _table, cmd in alter_cmds(ctx):
        if cmd.get("subtype") != "AT_DropColumn":
            continue
        column = q(cmd.get("name", ""))
        out.append(
            ctx.finding(
                RULE,
                f"Dropping {ctx.relation_sql}.{column} breaks code that still uses it and loses its data.",
                safe_sql=(
                    f"-- after a release that no longer uses {column}:\n"
                    "SET lock_timeout = '5s';\n"
                    f"ALTER TABLE {ctx.relation_sql} DROP COLUMN IF EXISTS {column};"
                ),
            )
        )
    return out
