"""32-bit and 16-bit integer columns run out; bigint costs little more."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ..nodes import type_name
from ._common import COLUMN_KINDS, q, typed_columns

__all__ = ["RULE", "check"]

RULE = Rule(
    id="prefer-bigint-over-int",
    severity="info",
    summary="integer/smallint (or serial/smallserial) column",
    why="integer tops out at 2,147,483,647 (smallint at 32,767); ids and counters that reach it make "
    "inserts fail, and widening the column later rewrites the table under an ACCESS EXCLUSIVE lock. "
    "bigint usually costs only 4 bytes per row, often nothing after alignment.",
    fix="Use bigint (bigint GENERATED ALWAYS AS IDENTITY for keys).",
    kb="prefer-bigint-over-int",
    kinds=COLUMN_KINDS,
)

_SMALL = {
    "int4": "integer",
    "int2": "smallint",
    "serial": "serial",
    "serial4": "serial",
    "smallserial": "smallserial",
    "serial2": "smallserial",
    "int": "integer",
    "integer": "integer",
    "smallint": "smallint",
}


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, column, type_node, location in typed_columns(ctx):
        name = type_name(type_node)
        if name in _SMALL and not type_node.get("arrayBounds"):
            bigger = "bigserial (better: bigint GENERATED ALWAYS AS IDENTITY)" if "serial" in name else "bigint"
            out.append(
                ctx.finding(
                    RULE,
                    f"Column {q(table)}.{q(column)} is {_SMALL[name]}: prefer {bigger}.",
                    location=location,
                    safe_sql=f"{q(column)} bigint",
                )
            )
    return out
