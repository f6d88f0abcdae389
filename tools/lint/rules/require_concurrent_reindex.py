"""REINDEX without CONCURRENTLY blocks writes (and reads that use the index) while it rebuilds."""

from __future__ import annotations

from typing import Any

from ..locks import SHARE
from ..model import Finding, Rule
from ..nodes import relname
from ._common import q, rel_sql

__all__ = ["RULE", "check"]

RULE = Rule(
    id="require-concurrent-reindex",
    severity="error",
    summary="REINDEX without CONCURRENTLY",
    why="REINDEX holds a SHARE lock on the table, blocking INSERT/UPDATE/DELETE, and an ACCESS EXCLUSIVE "
    "lock on each index it rebuilds, blocking queries that would use it, for the whole rebuild.",
    fix="From PostgreSQL 12 use REINDEX ... CONCURRENTLY outside a transaction block. Before 12, build a "
    "replacement with CREATE INDEX CONCURRENTLY, drop the old one with DROP INDEX CONCURRENTLY and rename.",
    lock=SHARE,
    kb="require-concurrent-reindex",
    kinds=frozenset({"ReindexStmt"}),
    changed_in=(12,),
)

_KINDS = {
    "REINDEX_OBJECT_INDEX": "INDEX",
    "REINDEX_OBJECT_TABLE": "TABLE",
    "REINDEX_OBJECT_SCHEMA": "SCHEMA",
    "REINDEX_OBJECT_DATABASE": "DATABASE",
}


def check(ctx: Any) -> list[Finding]:
    node = ctx.node
    if ctx.kind != "ReindexStmt":
        return []
    params = [p.get("DefElem", {}).get("defname") for p in node.get("params", [])]
    kind = _KINDS.get(node.get("kind", ""))
    if "concurrently" in params or kind is None:
        return []  # REINDEX SYSTEM rebuilds catalogs, which can never be done concurrently
    if kind in ("SCHEMA", "DATABASE"):
        target = q(node.get("name", "")) if node.get("name") else ""
    else:
        if kind == "TABLE" and ctx.is_new_table(relname(node.get("relation"))):
            return []
        target = rel_sql(node.get("relation"))
    if ctx.pg_version >= 12:
        safe = f"-- outside a transaction block\nREINDEX {kind} CONCURRENTLY {target};".replace(" ;", ";")
    elif kind == "INDEX":
        safe = (
            f"-- PostgreSQL {ctx.pg_version} has no REINDEX CONCURRENTLY: rebuild under a new name\n"
            f"CREATE INDEX CONCURRENTLY {target}_new ON <table> (<same columns>);\n"
            f"DROP INDEX CONCURRENTLY {target};\n"
            f"ALTER INDEX {target}_new RENAME TO {target};"
        )
    else:
        safe = None
    return [ctx.finding(RULE, f"REINDEX {kind} without CONCURRENTLY blocks writes.", safe_sql=safe)]
