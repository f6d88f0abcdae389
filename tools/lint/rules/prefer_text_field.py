"""varchar(n): the limit is hard to change later; text with a CHECK is easier to evolve."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ..nodes import type_name, typmods
from ._common import COLUMN_KINDS, q, typed_columns

__all__ = ["RULE", "check"]

RULE = Rule(
    id="prefer-text-field",
    severity="info",
    summary="varchar(n) column",
    why="varchar(n) is stored exactly like text; the length limit is its only feature, and lowering it "
    "later needs an ALTER COLUMN TYPE under an ACCESS EXCLUSIVE lock with a full scan. A CHECK "
    "constraint on text can be replaced with NOT VALID + VALIDATE without blocking.",
    fix="Use text, with CHECK (length(col) <= n) if the limit matters.",
    kb="prefer-text-field",
    kinds=COLUMN_KINDS,
)


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, column, type_node, location in typed_columns(ctx):
        mods = typmods(type_node)
        if type_name(type_node) == "varchar" and mods:
            limit = mods[0]
            out.append(
                ctx.finding(
                    RULE,
                    f"Column {q(table)}.{q(column)} is varchar({limit}): prefer text with a CHECK.",
                    location=location,
                    safe_sql=f"{q(column)} text CHECK (length({q(column)}) <= {limit})",
                )
            )
    return out
