"""char(n) columns: blank-padded, and never better than text or varchar."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ..nodes import strings
from ._common import COLUMN_KINDS, q, typed_columns

__all__ = ["RULE", "check"]

RULE = Rule(
    id="ban-char-field",
    severity="warning",
    summary="char(n)/character column",
    why="char(n) pads values with spaces, compares them ignoring the padding and is no faster than text "
    "in PostgreSQL; it causes subtle bugs (length, concatenation, equality with text) and saves nothing.",
    fix="Use text (with a CHECK on length if the length matters).",
    kb="ban-char-field",
    kinds=COLUMN_KINDS,
)


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, column, type_node, location in typed_columns(ctx):
        names = [n.lower() for n in strings(type_node.get("names"))]
        if names[-1:] == ["bpchar"]:
            out.append(
                ctx.finding(
                    RULE,
                    f"Column {q(table)}.{q(column)} is char(n): use text.",
                    location=location,
                    safe_sql=f"{q(column)} text  -- optionally CHECK (length({q(column)}) <= n)",
                )
            )
    return out
