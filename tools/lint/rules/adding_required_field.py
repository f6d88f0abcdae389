"""ADD COLUMN ... NOT NULL without a default fails on any table that has rows."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import constraints_of, is_serial, type_sql
from ._common import alter_cmds, q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="adding-required-field",
    severity="error",
    summary="ADD COLUMN NOT NULL without a default",
    why="Existing rows would get NULL in a NOT NULL column, so the statement fails (SQLSTATE 23502) as "
    "soon as the table has a row: the migration passes on an empty development database and breaks in "
    "production. Old application code that inserts without the column breaks too.",
    fix="Add the column as nullable (or, from PostgreSQL 11, NOT NULL with a constant DEFAULT, which is "
    "instant), backfill, then make it NOT NULL with the CHECK ... NOT VALID / VALIDATE sequence.",
    lock=ACCESS_EXCLUSIVE,
    kb="adding-required-field",
    kinds=frozenset({"AlterTableStmt"}),
    changed_in=(11,),
)

_FILLED = {"CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"}


def check(ctx: Any) -> list[Finding]:
    out = []
    for _table, cmd in alter_cmds(ctx):
        if cmd.get("subtype") != "AT_AddColumn":
            continue
        coldef = cmd.get("def", {}).get("ColumnDef", {})
        kinds = {c.get("contype") for c in constraints_of(coldef)}
        if "CONSTR_NOTNULL" not in kinds or kinds & _FILLED or is_serial(coldef.get("typeName")):
            continue
        column = q(coldef.get("colname", ""))
        col_type = type_sql(coldef.get("typeName"))
        if ctx.pg_version >= 11:
            safe = f"ALTER TABLE {ctx.relation_sql} ADD COLUMN {column} {col_type} NOT NULL DEFAULT <constant>;"
        else:
            safe = (
                f"ALTER TABLE {ctx.relation_sql} ADD COLUMN {column} {col_type};\n"
                f"-- backfill in batches, then add a CHECK ({column} IS NOT NULL) NOT VALID and VALIDATE it"
            )
        out.append(
            ctx.finding(
                RULE,
                f"Adding NOT NULL column {column} without a default to {ctx.relation_sql} fails if it has rows.",
                location=coldef.get("location"),
                safe_sql=safe,
            )
        )
    return out
