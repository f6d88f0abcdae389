"""Enum changes that fail or break running code: ADD VALUE in a transaction before PG 12, renames, drops."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ..nodes import relname, strings, walk
from ._common import q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="enum-value-changes",
    severity="error",
    summary="Enum value added in a transaction (before PG 12), renamed, or removed",
    why="Before PostgreSQL 12 ALTER TYPE ... ADD VALUE cannot run inside a transaction block (SQLSTATE "
    "25001); from 12 it can, but the new value cannot be used until the transaction commits. RENAME "
    "VALUE breaks deployed code that still writes the old label, and PostgreSQL cannot drop an enum "
    "value at all: editing pg_enum corrupts rows and indexes that still hold it.",
    fix="Add values in their own migration outside a transaction (PG < 12), with IF NOT EXISTS; treat "
    "labels as append-only. To retire a value, stop writing it, migrate rows to another value, and "
    "leave the label (or move the column to a lookup table / text with a CHECK).",
    kb="enum-value-changes",
    changed_in=(12,),
)


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _uses_new_label(ctx: Any) -> str | None:
    """A string literal equal to a label added earlier in the same, still open, transaction."""
    labels = ctx.state.new_enum_values
    if not labels or not ctx.transaction or ctx.kind == "AlterEnumStmt":
        return None
    for node_kind, body in walk(ctx.node):
        if node_kind == "A_Const" and "sval" in body:
            label = body["sval"].get("sval")
            if label in labels and labels[label][1] == ctx.transaction:
                return str(label)
    return None


def check(ctx: Any) -> list[Finding]:
    node, kind = ctx.node, ctx.kind
    if kind == "AlterEnumStmt":
        enum = ".".join(q(p) for p in strings(node.get("typeName")))
        if node.get("oldVal"):
            return [
                ctx.finding(
                    RULE,
                    f"Renaming value '{node['oldVal']}' of enum {enum} breaks code that still uses it.",
                    safe_sql=(
                        f"ALTER TYPE {enum} ADD VALUE IF NOT EXISTS {_literal(node.get('newVal', ''))};\n"
                        "-- deploy code that writes the new label, migrate rows in batches, "
                        "then stop using the old one"
                    ),
                )
            ]
        if node.get("newVal") and ctx.in_transaction and ctx.pg_version < 12:
            return [
                ctx.finding(
                    RULE,
                    f"ALTER TYPE {enum} ADD VALUE fails inside a transaction block on PostgreSQL "
                    f"{ctx.pg_version} (allowed from 12).",
                    safe_sql=f"-- its own migration, outside a transaction block\n"
                    f"ALTER TYPE {enum} ADD VALUE IF NOT EXISTS {_literal(node['newVal'])};",
                )
            ]
        return []
    used = _uses_new_label(ctx)
    if used:
        return [
            ctx.finding(
                RULE,
                f"Enum label '{used}' was added in this transaction and is used before it commits "
                "(ERROR 55P04: unsafe use of new value).",
                safe_sql="COMMIT;  -- commit the ADD VALUE first, then use the new label in a later transaction",
            )
        ]
    if kind in ("DeleteStmt", "UpdateStmt") and relname(node.get("relation")) == "pg_enum":
        return [
            ctx.finding(
                RULE,
                "Editing pg_enum to remove or change enum values is unsupported and "
                "leaves rows holding values that no longer exist.",
            )
        ]
    return []
