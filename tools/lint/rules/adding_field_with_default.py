"""ADD COLUMN with a default that forces a table rewrite (any default before PG 11, volatile ones after)."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import constraints_of, is_serial, type_sql
from ..volatility import is_volatile
from ._common import alter_cmds, q, render

__all__ = ["RULE", "check"]

RULE = Rule(
    id="adding-field-with-default",
    severity="error",
    summary="ADD COLUMN whose default rewrites the table",
    why="A default that must be computed per row (volatile: random(), gen_random_uuid(), "
    "clock_timestamp(), a serial's nextval(); stored generated and identity columns), or any non-NULL "
    "default before PostgreSQL 11, rewrites the whole table under an ACCESS EXCLUSIVE lock. Since "
    "PostgreSQL 11 a non-volatile default is stored in the catalog and the ADD is instant.",
    fix="Add the column without the default, set the default for new rows with ALTER COLUMN ... SET "
    "DEFAULT, and backfill existing rows in small batches.",
    lock=ACCESS_EXCLUSIVE,
    kb="adding-field-with-default",
    kinds=frozenset({"AlterTableStmt"}),
    changed_in=(11, 18),
)


def _reason(coldef: dict[str, Any], pg_version: int) -> tuple[str, Any] | None:
    """Why adding this column rewrites the table, and the default expression if there is one."""
    if is_serial(coldef.get("typeName")):
        return f"its {type_sql(coldef.get('typeName'))} type has the volatile default nextval()", None
    for con in constraints_of(coldef):
        contype = con.get("contype")
        if contype == "CONSTR_IDENTITY":
            return "an identity column is filled for every existing row", None
        if contype == "CONSTR_GENERATED" and con.get("generated_kind", "s") == "s":
            return "a STORED generated column is computed for every existing row", None
        if contype == "CONSTR_DEFAULT":
            expr = con.get("raw_expr")
            if not expr or ("A_Const" in expr and expr["A_Const"].get("isnull")):
                return None
            if pg_version < 11:
                return f"before PostgreSQL 11 any default rewrites the table (pg_version {pg_version})", expr
            if is_volatile(expr):
                return "the default is volatile, so it is evaluated for every existing row", expr
    return None


def check(ctx: Any) -> list[Finding]:
    out = []
    for index, (_table, cmd) in enumerate(alter_cmds(ctx)):
        if cmd.get("subtype") != "AT_AddColumn":
            continue
        coldef = cmd.get("def", {}).get("ColumnDef", {})
        found = _reason(coldef, ctx.pg_version)
        if found is None:
            continue
        reason, expr = found
        column = q(coldef.get("colname", ""))
        safe = None
        if expr is not None:
            default = render(ctx, lambda s, i=index: _default_of(s.cmds[i].def_))
            safe = (
                f"ALTER TABLE {ctx.relation_sql} ADD COLUMN {column} {type_sql(coldef.get('typeName'))};\n"
                f"ALTER TABLE {ctx.relation_sql} ALTER COLUMN {column} SET DEFAULT {default or '<default>'};\n"
                f"-- backfill existing rows in batches, each in its own transaction:\n"
                f"UPDATE {ctx.relation_sql} SET {column} = {default or '<default>'} "
                f"WHERE <key> IN (SELECT <key> FROM {ctx.relation_sql} WHERE {column} IS NULL LIMIT 10000);"
            )
        out.append(
            ctx.finding(
                RULE,
                f"Adding {column} to {ctx.relation_sql} rewrites the table: {reason}.",
                location=coldef.get("location"),
                safe_sql=safe,
            )
        )
    return out


def _default_of(coldef: Any) -> Any:
    for con in coldef.constraints or ():
        if con.contype.name == "CONSTR_DEFAULT":
            return con.raw_expr
    raise LookupError("no default")
