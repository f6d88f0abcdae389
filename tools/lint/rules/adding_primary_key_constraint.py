"""ADD PRIMARY KEY builds a unique index (and may scan for NOT NULL) under an ACCESS EXCLUSIVE lock."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import constraints_of, strings
from ._common import alter_cmds, q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="adding-primary-key-constraint",
    severity="error",
    summary="PRIMARY KEY added to an existing table without USING INDEX",
    why="ALTER TABLE ... ADD PRIMARY KEY builds a unique index and sets the key columns NOT NULL (a full "
    "scan) while holding an ACCESS EXCLUSIVE lock: all reads and writes wait.",
    fix="Make the columns NOT NULL the safe way (CHECK ... NOT VALID, VALIDATE, SET NOT NULL), build the "
    "index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX.",
    lock=ACCESS_EXCLUSIVE,
    kb="adding-primary-key-constraint",
    kinds=frozenset({"AlterTableStmt"}),
)


def _safe(table: str, table_sql: str, columns: list[str], name: str | None) -> str:
    name = name or f"{table}_pkey"
    cols = ", ".join(q(c) for c in columns) or "<columns>"
    return (
        "-- 1. each key column NOT NULL without a long lock (see setting-not-nullable-field)\n"
        "-- 2. outside a transaction block:\n"
        f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {q(name)} ON {table_sql} ({cols});\n"
        f"-- 3. attach it (brief lock):\n"
        f"ALTER TABLE {table_sql} ADD CONSTRAINT {q(name)} PRIMARY KEY USING INDEX {q(name)};"
    )


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, cmd in alter_cmds(ctx):
        subtype = cmd.get("subtype")
        if subtype == "AT_AddConstraint":
            con = cmd.get("def", {}).get("Constraint", {})
            if con.get("contype") != "CONSTR_PRIMARY" or con.get("indexname"):
                continue
            out.append(
                ctx.finding(
                    RULE,
                    f"ADD PRIMARY KEY on {ctx.relation_sql} builds its index while the table is locked.",
                    location=con.get("location"),
                    safe_sql=_safe(table, ctx.relation_sql, strings(con.get("keys")), con.get("conname")),
                )
            )
        elif subtype == "AT_AddColumn":
            coldef = cmd.get("def", {}).get("ColumnDef", {})
            for con in constraints_of(coldef):
                if con.get("contype") == "CONSTR_PRIMARY":
                    column = coldef.get("colname", "")
                    out.append(
                        ctx.finding(
                            RULE,
                            f"Column {q(column)} is added as PRIMARY KEY: the table is rewritten or scanned "
                            "and indexed while locked.",
                            location=con.get("location"),
                            safe_sql=_safe(table, ctx.relation_sql, [column], con.get("conname")),
                        )
                    )
    return out
