"""Adding a CHECK constraint scans the whole table under an ACCESS EXCLUSIVE lock."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ._common import alter_cmds, render, validate_sequence

__all__ = ["RULE", "check"]

RULE = Rule(
    id="adding-check-constraint",
    severity="error",
    summary="CHECK constraint added to an existing table without NOT VALID",
    why="ADD CONSTRAINT ... CHECK holds an ACCESS EXCLUSIVE lock while every existing row is checked: "
    "all reads and writes on the table wait for the scan.",
    fix="Add it with NOT VALID (new and updated rows are checked at once, the lock is brief), then "
    "VALIDATE CONSTRAINT in a separate transaction, which only takes SHARE UPDATE EXCLUSIVE.",
    lock=ACCESS_EXCLUSIVE,
    kb="adding-check-constraint",
    kinds=frozenset({"AlterTableStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    out = []
    for index, (table, cmd) in enumerate(alter_cmds(ctx)):
        if cmd.get("subtype") != "AT_AddConstraint":
            continue
        con = cmd.get("def", {}).get("Constraint", {})
        if con.get("contype") != "CONSTR_CHECK" or con.get("skip_validation"):
            continue
        name = con.get("conname") or f"{table}_check"

        def change(node: Any, name: str = name) -> None:
            node.skip_validation = True
            node.initially_valid = False
            node.conname = name

        body = render(ctx, lambda s, i=index: s.cmds[i].def_, change)
        out.append(
            ctx.finding(
                RULE,
                f"CHECK constraint on {ctx.relation_sql} is validated immediately under an ACCESS EXCLUSIVE lock.",
                location=con.get("location"),
                safe_sql=validate_sequence(ctx.relation_sql, body, name) if body else None,
            )
        )
    return out
