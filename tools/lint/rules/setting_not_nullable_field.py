"""ALTER COLUMN SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ._common import alter_cmds, q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="setting-not-nullable-field",
    severity="error",
    summary="SET NOT NULL on an existing column without a validated CHECK (col IS NOT NULL)",
    why="SET NOT NULL checks every row while holding an ACCESS EXCLUSIVE lock, so all reads and writes "
    "wait for a full table scan. Since PostgreSQL 12 the scan is skipped when a validated "
    "CHECK (col IS NOT NULL) constraint already proves the column has no NULLs.",
    fix="Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a separate transaction (SHARE UPDATE "
    "EXCLUSIVE: reads and writes continue), then SET NOT NULL (instant from PG 12) and drop the check. "
    "From PostgreSQL 18 ADD CONSTRAINT ... NOT NULL col NOT VALID followed by VALIDATE also works.",
    lock=ACCESS_EXCLUSIVE,
    kb="setting-not-nullable-field",
    kinds=frozenset({"AlterTableStmt"}),
    changed_in=(12, 18),
)


def _safe(table: str, table_sql: str, column: str, pg_version: int) -> str:
    check = q(f"{table}_{column}_not_null")
    col = q(column)
    steps = [
        f"ALTER TABLE {table_sql} ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID;",
        "-- then, in a separate transaction:",
        f"ALTER TABLE {table_sql} VALIDATE CONSTRAINT {check};",
    ]
    if pg_version >= 12:
        steps += [
            f"ALTER TABLE {table_sql} ALTER COLUMN {col} SET NOT NULL;  -- uses the valid check: no scan",
            f"ALTER TABLE {table_sql} DROP CONSTRAINT {check};",
        ]
    else:
        steps.append(f"-- PostgreSQL {pg_version} still scans on SET NOT NULL: keep the CHECK instead, or upgrade")
    return "\n".join(steps)


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, cmd in alter_cmds(ctx):
        if cmd.get("subtype") != "AT_SetNotNull":
            continue
        column = cmd.get("name", "")
        if ctx.pg_version >= 12 and (table, column) in ctx.state.validated_not_null:
            continue  # the safe sequence itself: the validated check makes this instant
        out.append(
            ctx.finding(
                RULE,
                f"SET NOT NULL on {ctx.relation_sql}.{q(column)} scans the table while blocking reads and writes.",
                safe_sql=_safe(table, ctx.relation_sql, column, ctx.pg_version),
            )
        )
    return out
