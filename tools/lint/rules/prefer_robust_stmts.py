"""Statements that cannot be re-run after a partial failure outside a transaction."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ._common import alter_cmds, rewrite

__all__ = ["RULE", "check"]

RULE = Rule(
    id="prefer-robust-stmts",
    severity="warning",
    summary="Non-idempotent DDL in a migration that runs outside a transaction",
    why="Outside a transaction a migration that fails half way leaves the earlier statements applied; "
    "re-running it then fails on objects that already exist (or are already gone). Concurrent index "
    "builds are the common case: they cannot run in a transaction and a failed one leaves an invalid "
    "index behind.",
    fix="Use IF NOT EXISTS / IF EXISTS (CREATE TABLE, CREATE INDEX with an explicit name, ADD COLUMN, "
    "DROP ...), and precede ADD CONSTRAINT with DROP CONSTRAINT IF EXISTS, so the file can be re-run.",
    kb="prefer-robust-stmts",
    kinds=frozenset({"CreateStmt", "IndexStmt", "DropStmt", "AlterEnumStmt", "AlterTableStmt"}),
)

_DROPPABLE = {"OBJECT_TABLE", "OBJECT_INDEX", "OBJECT_VIEW", "OBJECT_TYPE", "OBJECT_SEQUENCE", "OBJECT_SCHEMA"}


def _problem(ctx: Any) -> tuple[str, Any] | None:
    node, kind = ctx.node, ctx.kind
    if kind == "CreateStmt" and not node.get("if_not_exists"):
        return "CREATE TABLE without IF NOT EXISTS", lambda s: setattr(s, "if_not_exists", True)
    if kind == "IndexStmt" and not node.get("if_not_exists"):
        if not node.get("idxname"):
            return "CREATE INDEX without an explicit name cannot use IF NOT EXISTS", None
        return "CREATE INDEX without IF NOT EXISTS", lambda s: setattr(s, "if_not_exists", True)
    if kind == "DropStmt" and node.get("removeType") in _DROPPABLE and not node.get("missing_ok"):
        return "DROP without IF EXISTS", lambda s: setattr(s, "missing_ok", True)
    adds_value = kind == "AlterEnumStmt" and node.get("newVal") and not node.get("oldVal")
    if adds_value and not node.get("skipIfNewValExists"):
        return "ALTER TYPE ... ADD VALUE without IF NOT EXISTS", None
    for _table, cmd in alter_cmds(ctx, include_new=True):
        subtype = cmd.get("subtype")
        if subtype == "AT_AddColumn" and not cmd.get("missing_ok"):
            return "ADD COLUMN without IF NOT EXISTS", None
        if subtype in ("AT_DropColumn", "AT_DropConstraint") and not cmd.get("missing_ok"):
            return f"{'DROP COLUMN' if subtype == 'AT_DropColumn' else 'DROP CONSTRAINT'} without IF EXISTS", None
        if subtype == "AT_AddConstraint":
            name = cmd.get("def", {}).get("Constraint", {}).get("conname")
            if not name or not _dropped_before(ctx, name):
                return "ADD CONSTRAINT not preceded by DROP CONSTRAINT IF EXISTS", None
    return None


def _dropped_before(ctx: Any, name: str) -> bool:
    for kind, node in ctx.state.previous:
        if kind == "AlterTableStmt":
            for cmd in node.get("cmds", []):
                body = cmd.get("AlterTableCmd", {})
                if body.get("subtype") == "AT_DropConstraint" and body.get("name") == name:
                    return True
    return False


def check(ctx: Any) -> list[Finding]:
    if ctx.in_transaction:
        return []  # a failed transaction rolls back as a whole, so re-running is safe
    found = _problem(ctx)
    if found is None:
        return []
    message, change = found
    safe = rewrite(ctx, change) if change else None
    return [ctx.finding(RULE, f"{message}: the migration cannot be re-run after a partial failure.", safe_sql=safe)]
