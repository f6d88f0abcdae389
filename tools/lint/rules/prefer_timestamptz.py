"""timestamp without time zone: use timestamptz."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ..nodes import type_name
from ._common import COLUMN_KINDS, q, typed_columns

__all__ = ["RULE", "check"]

RULE = Rule(
    id="prefer-timestamptz",
    severity="warning",
    summary="timestamp (without time zone) column",
    why="timestamp stores a wall-clock reading with no zone: values written by sessions in different "
    "time zones cannot be compared, and DST shifts create duplicates and gaps. timestamptz stores an "
    "absolute instant (in UTC) and costs the same 8 bytes.",
    fix="Use timestamptz (timestamp with time zone). Converting later is a rewrite unless TimeZone is "
    "UTC (PostgreSQL 12+ skips the rewrite then).",
    kb="prefer-timestamptz",
    kinds=COLUMN_KINDS,
)


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, column, type_node, location in typed_columns(ctx):
        if type_name(type_node) == "timestamp" and not type_node.get("arrayBounds"):
            out.append(
                ctx.finding(
                    RULE,
                    f"Column {q(table)}.{q(column)} is timestamp without time zone: use timestamptz.",
                    location=location,
                    safe_sql=f"{q(column)} timestamptz",
                )
            )
    return out
