"""serial columns: use identity columns instead."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ..nodes import is_serial, type_name
from ._common import COLUMN_KINDS, q, typed_columns

__all__ = ["RULE", "check"]

RULE = Rule(
    id="prefer-identity",
    severity="info",
    summary="serial/bigserial column",
    why="serial creates a separately owned sequence with its own permissions and dependency quirks "
    "(grants, dumps, copying tables, accidental manual inserts); identity columns are the SQL-standard "
    "replacement since PostgreSQL 10 and keep the sequence tied to the column.",
    fix="Declare the column as bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT when rows are "
    "imported with explicit ids).",
    kb="prefer-identity",
    min_pg_version=10,
    kinds=COLUMN_KINDS,
)


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, column, type_node, location in typed_columns(ctx):
        if is_serial(type_node):
            out.append(
                ctx.finding(
                    RULE,
                    f"Column {q(table)}.{q(column)} uses {type_name(type_node)}: use an identity column.",
                    location=location,
                    safe_sql=f"{q(column)} bigint GENERATED ALWAYS AS IDENTITY",
                )
            )
    return out
