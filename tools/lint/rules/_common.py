"""Helpers the rules share: reading ALTER TABLE commands, typed columns, and writing the safe SQL."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import pglast
from pglast.stream import RawStream

from ...sqlident import quote_ident
from ..context import StatementContext
from ..locks import ACCESS_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE
from ..nodes import Node, column_defs, relname, strings

__all__ = [
    "COLUMN_KINDS",
    "LOCKING_KINDS",
    "alter_cmds",
    "lock_taking",
    "q",
    "rel_sql",
    "render",
    "rewrite",
    "statement_lock",
    "typed_columns",
    "validate_sequence",
]


@functools.lru_cache(maxsize=4096)
def q(name: str) -> str:
    return quote_ident(name) if name else name


def rel_sql(rel: Node | None) -> str:
    rel = rel or {}
    name = q(rel.get("relname", ""))
    return f"{q(rel['schemaname'])}.{name}" if rel.get("schemaname") else name


def alter_cmds(ctx: StatementContext, include_new: bool = False) -> Iterator[tuple[str, Node]]:
    """(table, AlterTableCmd) of an ALTER TABLE on a table not created earlier in this file."""
    if ctx.kind != "AlterTableStmt" or ctx.node.get("objtype", "OBJECT_TABLE") != "OBJECT_TABLE":
        return
    table = relname(ctx.node.get("relation"))
    if not include_new and ctx.is_new_table(table):
        return
    for cmd in ctx.node.get("cmds", []):
        if "AlterTableCmd" in cmd:
            yield table, cmd["AlterTableCmd"]


def typed_columns(ctx: StatementContext) -> list[tuple[str, str, Node, int | None]]:
    """(table, column, typeName, location) for every column a statement declares or retypes."""
    if "typed_columns" not in ctx.memo:
        ctx.memo["typed_columns"] = list(_typed_columns(ctx))
    return ctx.memo["typed_columns"]


def _typed_columns(ctx: StatementContext) -> Iterator[tuple[str, str, Node, int | None]]:
    for table, coldef, _new in column_defs(ctx.kind, ctx.node):
        yield table, coldef.get("colname", ""), coldef.get("typeName", {}), coldef.get("location")
    if ctx.kind == "AlterTableStmt":
        table = relname(ctx.node.get("relation"))
        for cmd in ctx.node.get("cmds", []):
            body = cmd.get("AlterTableCmd", {})
            if body.get("subtype") == "AT_AlterColumnType":
                coldef = body.get("def", {}).get("ColumnDef", {})
                type_node = coldef.get("typeName", {})
                yield table, body.get("name", ""), type_node, type_node.get("location")


def rewrite(ctx: StatementContext, change: Callable[[Any], None]) -> str | None:
    """The statement re-rendered by pglast after `change` edits its node tree, or None if that fails."""
    try:
        stmt = pglast.parse_sql(ctx.text)[0].stmt
        change(stmt)
        return str(RawStream()(stmt)) + ";"
    except Exception:  # the safe SQL is a courtesy: never let rendering break the lint
        return None


# Statements that declare or retype columns (the column type rules look at these).
COLUMN_KINDS = frozenset({"CreateStmt", "AlterTableStmt"})

# Statements that take a lock other sessions queue behind, when the object already exists.
LOCKING_KINDS = frozenset(
    {
        "AlterTableStmt",
        "RenameStmt",
        "TruncateStmt",
        "IndexStmt",
        "ReindexStmt",
        "AlterDomainStmt",
        "CreateTrigStmt",
        "DropStmt",
        "AlterObjectSchemaStmt",
    }
)


def lock_taking(ctx: StatementContext) -> bool:
    """Whether the statement waits for a table lock on an object that existed before this file."""
    kind, node = ctx.kind, ctx.node
    if kind not in LOCKING_KINDS:
        return False
    if kind in ("AlterTableStmt", "IndexStmt", "CreateTrigStmt", "RenameStmt"):
        rel = node.get("relation")
        if rel and ctx.is_new_table(relname(rel)):
            return False
    if kind == "DropStmt":
        objects = node.get("objects", [])
        names = [strings(o.get("List", {}).get("items"))[-1:] for o in objects]
        if node.get("removeType") == "OBJECT_TABLE" and all(n and ctx.is_new_table(n[0]) for n in names):
            return False
        return node.get("removeType") in ("OBJECT_TABLE", "OBJECT_INDEX", "OBJECT_VIEW", "OBJECT_MATVIEW")
    return True


def render(
    ctx: StatementContext, pick: Callable[[Any], Any], change: Callable[[Any], None] | None = None
) -> str | None:
    """Render one part of the statement (e.g. a constraint) after an optional edit; None if that fails."""
    try:
        node = pick(pglast.parse_sql(ctx.text)[0].stmt)
        if change is not None:
            change(node)
        return str(RawStream()(node))
    except Exception:
        return None


def validate_sequence(table_sql: str, constraint_sql: str, name: str) -> str:
    """ADD ... NOT VALID now (brief lock), VALIDATE later in its own transaction (weaker lock, no blocking)."""
    return (
        f"ALTER TABLE {table_sql} ADD {constraint_sql};\n"
        f"-- then, in a separate transaction:\n"
        f"ALTER TABLE {table_sql} VALIDATE CONSTRAINT {q(name)};"
    )


_STRENGTH = [SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, ACCESS_EXCLUSIVE]
_LIGHT_SUBTYPES = {
    "AT_ValidateConstraint": SHARE_UPDATE_EXCLUSIVE,
    "AT_SetStatistics": SHARE_UPDATE_EXCLUSIVE,
    "AT_ClusterOn": SHARE_UPDATE_EXCLUSIVE,
    "AT_DropCluster": SHARE_UPDATE_EXCLUSIVE,
    "AT_SetRelOptions": SHARE_UPDATE_EXCLUSIVE,
    "AT_ResetRelOptions": SHARE_UPDATE_EXCLUSIVE,
    "AT_AttachPartition": SHARE_UPDATE_EXCLUSIVE,  # on the parent, since PostgreSQL 12
    "AT_EnableTrig": SHARE_ROW_EXCLUSIVE,
    "AT_DisableTrig": SHARE_ROW_EXCLUSIVE,
}


def _concurrent(node: Node) -> bool:
    return bool(node.get("concurrent")) or any(
        p.get("DefElem", {}).get("defname") == "concurrently" for p in node.get("params", [])
    )


def statement_lock(ctx: StatementContext) -> str | None:
    """The table lock the statement takes (the strongest one for a multi-command ALTER TABLE)."""
    kind, node = ctx.kind, ctx.node
    if kind in ("IndexStmt", "ReindexStmt"):
        return SHARE_UPDATE_EXCLUSIVE if _concurrent(node) else SHARE
    if kind == "DropStmt":
        if node.get("removeType") == "OBJECT_INDEX" and node.get("concurrent"):
            return SHARE_UPDATE_EXCLUSIVE
        return ACCESS_EXCLUSIVE
    if kind == "AlterTableStmt":
        locks = []
        for cmd in node.get("cmds", []):
            body = cmd.get("AlterTableCmd", {})
            subtype = body.get("subtype", "")
            lock = _LIGHT_SUBTYPES.get(subtype, ACCESS_EXCLUSIVE)
            if subtype == "AT_DetachPartition" and body.get("def", {}).get("PartitionCmd", {}).get("concurrent"):
                lock = SHARE_UPDATE_EXCLUSIVE
            con = body.get("def", {}).get("Constraint", {})
            if subtype == "AT_AddConstraint" and con.get("contype") == "CONSTR_FOREIGN":
                lock = SHARE_ROW_EXCLUSIVE
            locks.append(lock)
        return max(locks, key=_STRENGTH.index) if locks else ACCESS_EXCLUSIVE
    if kind == "CreateTrigStmt":
        return SHARE_ROW_EXCLUSIVE
    if kind == "AlterDomainStmt":
        return SHARE
    if kind in LOCKING_KINDS:
        return ACCESS_EXCLUSIVE
    return None
