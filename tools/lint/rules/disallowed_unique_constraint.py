"""ADD UNIQUE builds its index under an ACCESS EXCLUSIVE lock."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import constraints_of, strings
from ._common import alter_cmds, q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="disallowed-unique-constraint",
    severity="error",
    summary="UNIQUE constraint added to an existing table without USING INDEX",
    why="ALTER TABLE ... ADD UNIQUE builds the unique index while holding an ACCESS EXCLUSIVE lock: "
    "the table is unreadable and unwritable until the build ends.",
    fix="Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then attach it with "
    "ADD CONSTRAINT ... UNIQUE USING INDEX, which only needs a brief lock.",
    lock=ACCESS_EXCLUSIVE,
    kb="disallowed-unique-constraint",
    kinds=frozenset({"AlterTableStmt"}),
)


def _safe(table: str, table_sql: str, columns: list[str], name: str | None) -> str:
    name = name or f"{table}_{'_'.join(columns)}_key"
    cols = ", ".join(q(c) for c in columns)
    return (
        f"-- outside a transaction block\n"
        f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {q(name)} ON {table_sql} ({cols});\n"
        f"ALTER TABLE {table_sql} ADD CONSTRAINT {q(name)} UNIQUE USING INDEX {q(name)};"
    )


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, cmd in alter_cmds(ctx):
        subtype = cmd.get("subtype")
        if subtype == "AT_AddConstraint":
            con = cmd.get("def", {}).get("Constraint", {})
            if con.get("contype") != "CONSTR_UNIQUE" or con.get("indexname"):
                continue
            columns = strings(con.get("keys"))
            out.append(
                ctx.finding(
                    RULE,
                    f"ADD UNIQUE on {ctx.relation_sql} builds an index while the table is locked.",
                    location=con.get("location"),
                    safe_sql=_safe(table, ctx.relation_sql, columns, con.get("conname")),
                )
            )
        elif subtype == "AT_AddColumn":
            coldef = cmd.get("def", {}).get("ColumnDef", {})
            for con in constraints_of(coldef):
                if con.get("contype") == "CONSTR_UNIQUE":
                    column = coldef.get("colname", "")
                    out.append(
                        ctx.finding(
                            RULE,
                            f"Column {q(column)} is added with UNIQUE: its index is built while "
                            f"{ctx.relation_sql} is locked.",
                            location=con.get("location"),
                            safe_sql=f"ALTER TABLE {ctx.relation_sql} ADD COLUMN {q(column)} <type>;\n"
                            + _safe(table, ctx.relation_sql, [column], con.get("conname")),
                        )
                    )
    return out
