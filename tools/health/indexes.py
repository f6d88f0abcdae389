"""Index checks: invalid, duplicate and redundant, unused indexes, and foreign keys without one."""

from __future__ import annotations

import asyncpg

from ..sqlident import quote_ident
from .base import Check, CheckContext, Finding, fetch, qname

__all__ = ["CHECKS", "fk_index_name"]

_LIMIT = 200
_CONCURRENT = "require-concurrent-index-creation"


async def invalid_indexes(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "invalid_indexes", _LIMIT):
        partitioned = r["relkind"] == "I"
        out.append(
            Finding(
                check="invalid-indexes",
                severity="warning",
                object=qname(r["schema"], r["index"]),
                evidence={"table": r["table"], "bytes": r["bytes"], "definition": r["definition"]},
                recommendation=(
                    "A partitioned index stays invalid until every partition has an attached index: create "
                    "the missing partition indexes and ALTER INDEX ... ATTACH PARTITION them."
                    if partitioned
                    else "An invalid index is maintained on every write but never used. Drop it and rebuild "
                    "it with CREATE INDEX CONCURRENTLY after fixing the cause"
                    + (" (duplicate keys for a unique index)" if r["unique"] else "")
                    + ", or REINDEX INDEX CONCURRENTLY it."
                ),
                safe_fix=None
                if partitioned
                else f"DROP INDEX CONCURRENTLY IF EXISTS {qname(r['schema'], r['index'])};",
                citations=[_CONCURRENT],
            )
        )
    return out


async def duplicate_indexes(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "duplicate_indexes", _LIMIT):
        check = "duplicate-indexes" if r["kind"] == "duplicate" else "redundant-indexes"
        covered = "has the same definition as" if r["kind"] == "duplicate" else "is a leading prefix of"
        out.append(
            Finding(
                check=check,
                severity="warning",
                object=qname(r["schema"], r["index"]),
                evidence={
                    "table": r["table"],
                    "bytes": r["bytes"],
                    "scans": r["scans"],
                    "definition": r["definition"],
                    "covered_by": r["covering_index"],
                    "covered_by_definition": r["covering_definition"],
                },
                recommendation=(
                    f"Index {r['index']} {covered} {r['covering_index']}, which serves the same queries; "
                    "dropping it saves space and write work."
                ),
                safe_fix=(
                    f"DROP INDEX CONCURRENTLY IF EXISTS {qname(r['schema'], r['index'])};"
                    if r["relkind"] == "i"
                    else None
                ),
                citations=["duplicate-and-redundant-indexes"],
            )
        )
    return out


async def unused_indexes(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "unused_indexes", _LIMIT, ctx.thresholds.unused_index_min_bytes):
        reset = r["stats_reset"]
        out.append(
            Finding(
                check="unused-indexes",
                severity="warning",
                object=qname(r["schema"], r["index"]),
                evidence={
                    "table": r["table"],
                    "scans": r["scans"],
                    "bytes": r["bytes"],
                    "stats_since": reset.isoformat() if reset else "statistics never reset",
                    "definition": r["definition"],
                },
                recommendation=(
                    "Never scanned since statistics were reset: check standbys (their scans are not counted "
                    "here) and periodic jobs, then drop it to save space and write work."
                    + (
                        " It belongs to a partitioned index: drop the parent index instead."
                        if r["is_partition"]
                        else ""
                    )
                ),
                safe_fix=None
                if r["is_partition"]
                else f"DROP INDEX CONCURRENTLY IF EXISTS {qname(r['schema'], r['index'])};",
                citations=["unused-indexes"],
            )
        )
    return out


def fk_index_name(table: str, columns: list[str]) -> str:
    """`<table>_<cols>_idx` cut to PostgreSQL's 63-byte identifier limit."""
    name = f"{table}_{'_'.join(columns)}_idx"
    encoded = name.encode()
    if len(encoded) > 63:
        name = encoded[:59].decode(errors="ignore") + "_idx"
    return name


async def fk_without_index(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "fk_indexes", _LIMIT):
        columns = list(r["columns"])
        rows = r["row_estimate"] or 0
        partitioned = r["relkind"] == "p"
        cols_sql = ", ".join(quote_ident(c) for c in columns)
        index = quote_ident(fk_index_name(r["table"], columns))
        fix = (
            None
            if partitioned
            else f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {qname(r['schema'], r['table'])} ({cols_sql});"
        )
        out.append(
            Finding(
                check="fk-without-index",
                severity="warning" if rows >= ctx.thresholds.fk_warning_rows else "info",
                object=f"{qname(r['schema'], r['table'])} ({', '.join(columns)})",
                evidence={
                    "constraint": r["constraint"],
                    "references": r["references"],
                    "on_delete": {
                        "a": "NO ACTION",
                        "r": "RESTRICT",
                        "c": "CASCADE",
                        "n": "SET NULL",
                        "d": "SET DEFAULT",
                    }.get(r["on_delete"]),
                    "row_estimate": r["row_estimate"],
                    "bytes": r["bytes"],
                    "seq_scan": r["seq_scan"],
                },
                recommendation=(
                    "Deletes and key updates on the referenced table, and joins on these columns, scan this "
                    "table without an index on the foreign key columns."
                    + (
                        " On a partitioned table create the index on each partition CONCURRENTLY, then "
                        "CREATE INDEX ON ONLY the parent and ATTACH them."
                        if partitioned
                        else ""
                    )
                ),
                safe_fix=fix,
                citations=["fk-indexes", _CONCURRENT],
            )
        )
    return out


CHECKS: tuple[Check, ...] = (
    Check("invalid-indexes", "Invalid indexes", (_CONCURRENT,), invalid_indexes),
    Check(
        "duplicate-indexes",
        "Duplicate and redundant indexes",
        ("duplicate-and-redundant-indexes",),
        duplicate_indexes,
        emits=("redundant-indexes",),
    ),
    Check("unused-indexes", "Unused indexes", ("unused-indexes",), unused_indexes),
    Check("fk-without-index", "Foreign keys without an index", ("fk-indexes", _CONCURRENT), fk_without_index),
)
