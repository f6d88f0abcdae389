"""DROP TABLE loses data and breaks code that still uses the table."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import strings
from ._common import q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="ban-drop-table",
    severity="error",
    summary="Dropping an existing table",
    why="DROP TABLE needs an ACCESS EXCLUSIVE lock, deletes the data for good, and every deployed query "
    "that touches the table fails at once.",
    fix="Stop using the table in a release first; keep a backup (or rename it aside) and drop it in a "
    "later migration with a lock_timeout.",
    lock=ACCESS_EXCLUSIVE,
    kb="ban-drop-table",
    kinds=frozenset({"DropStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    node = ctx.node
    if ctx.kind != "DropStmt" or node.get("removeType") != "OBJECT_TABLE":
        return []
    names = [strings(o.get("List", {}).get("items")) for o in node.get("objects", [])]
    dropped = [".".join(q(p) for p in n) for n in names if n and not ctx.is_new_table(n[-1])]
    if not dropped:
        return []
    return [
        ctx.finding(
            RULE,
            f"Dropping {', '.join(dropped)} deletes its data and breaks code that still uses it.",
            safe_sql=(
                "-- after a release that no longer uses it:\n"
                "SET lock_timeout = '5s';\n"
                f"DROP TABLE IF EXISTS {', '.join(dropped)};"
            ),
        )
    ]
