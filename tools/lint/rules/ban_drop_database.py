"""DROP DATABASE in a migration."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ._common import q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="ban-drop-database",
    severity="error",
    summary="DROP DATABASE",
    why="Dropping a database destroys all of its data and cannot run while anyone is connected; it has "
    "no place in an application migration.",
    fix="Remove it from the migration; drop databases by hand, after a backup, when truly intended.",
    kb="ban-drop-database",
    kinds=frozenset({"DropdbStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    if ctx.kind != "DropdbStmt":
        return []
    name = q(ctx.node.get("dbname", ""))
    return [ctx.finding(RULE, f"DROP DATABASE {name} destroys the whole database.")]
