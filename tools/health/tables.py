"""Table checks: missing primary keys, NOT VALID constraints, estimated bloat, autovacuum lag."""

from __future__ import annotations

import asyncpg

from ..sqlident import quote_ident
from .base import Check, CheckContext, Finding, fetch, qname

__all__ = ["CHECKS"]

_LIMIT = 200


async def missing_primary_key(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "missing_primary_keys", _LIMIT):
        out.append(
            Finding(
                check="missing-primary-key",
                severity="warning",
                object=qname(r["schema"], r["table"]),
                evidence={
                    "row_estimate": r["row_estimate"],
                    "bytes": r["bytes"],
                    "has_unique_index": r["has_unique_index"],
                    "replica_identity": {"d": "default", "n": "nothing", "f": "full", "i": "index"}.get(
                        r["replica_identity"]
                    ),
                },
                recommendation=(
                    "Without a primary key rows cannot be addressed reliably, logical replication cannot "
                    "replicate UPDATE/DELETE, and many tools misbehave. Add one (a bigint identity column, or "
                    "promote a unique NOT NULL index with ADD PRIMARY KEY USING INDEX)."
                ),
                citations=["primary-keys", "identity-and-bigint-keys"],
            )
        )
    return out


async def not_valid_constraints(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    kinds = {"c": "check", "f": "foreign key", "n": "not null"}
    out: list[Finding] = []
    for r in await fetch(conn, "not_valid_constraints", _LIMIT):
        table = qname(r["schema"], r["table"])
        out.append(
            Finding(
                check="not-valid-constraints",
                severity="info",
                object=f"{table} {quote_ident(r['constraint'])}",
                evidence={"type": kinds.get(r["type"], r["type"]), "definition": r["definition"]},
                recommendation=(
                    "The constraint was added NOT VALID and never validated: new rows are checked, existing "
                    "ones are not. VALIDATE CONSTRAINT scans the table under a SHARE UPDATE EXCLUSIVE lock, "
                    "which does not block reads or writes."
                ),
                safe_fix=f"ALTER TABLE {table} VALIDATE CONSTRAINT {quote_ident(r['constraint'])};",
                citations=["constraint-missing-not-valid"],
            )
        )
    return out


async def table_bloat(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    t = ctx.thresholds
    out: list[Finding] = []
    for r in await fetch(conn, "table_bloat", _LIMIT, t.bloat_min_bytes, t.bloat_min_ratio):
        out.append(
            Finding(
                check="table-bloat",
                severity="warning",
                object=qname(r["schema"], r["table"]),
                evidence={
                    k: r[k]
                    for k in ("bytes", "wasted_bytes", "wasted_fraction", "row_estimate", "pages", "expected_pages")
                },
                recommendation=(
                    "An estimate from planner statistics (ANALYZE first if they are stale). Vacuum reuses the "
                    "space but does not return it; to shrink the table use pg_repack or pg_squeeze online, "
                    "and tune autovacuum so dead rows do not pile up again. VACUUM FULL locks the table."
                ),
                citations=["table-bloat", "autovacuum-tuning"],
            )
        )
    return out


async def index_bloat(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    t = ctx.thresholds
    out: list[Finding] = []
    for r in await fetch(conn, "index_bloat", _LIMIT, t.bloat_min_bytes, t.bloat_min_ratio):
        index = qname(r["schema"], r["index"])
        out.append(
            Finding(
                check="index-bloat",
                severity="warning",
                object=index,
                evidence={
                    "table": r["table"],
                    **{k: r[k] for k in ("bytes", "wasted_bytes", "wasted_fraction", "pages", "expected_pages")},
                },
                recommendation=(
                    "An estimate from planner statistics. REINDEX CONCURRENTLY rebuilds the index compactly "
                    "without blocking writes (it needs room for a second copy while it runs)."
                ),
                safe_fix=f"REINDEX INDEX CONCURRENTLY {index};" if r["relkind"] == "i" else None,
                citations=["table-bloat"],
            )
        )
    return out


async def vacuum_lag(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "vacuum_lag", _LIMIT, ctx.thresholds.dead_tuples_min):
        table = qname(r["schema"], r["table"])
        disabled = not r["autovacuum_enabled"]
        last = r["last_autovacuum"] or r["last_vacuum"]
        out.append(
            Finding(
                check="vacuum-lag",
                severity="warning",
                object=table,
                evidence={
                    "n_dead_tup": r["n_dead_tup"],
                    "n_live_tup": r["n_live_tup"],
                    "dead_fraction": r["dead_fraction"],
                    "autovacuum_threshold": r["autovacuum_threshold"],
                    "autovacuum_enabled": r["autovacuum_enabled"],
                    "last_vacuum": last.isoformat() if last else None,
                    "vacuum_running": r["vacuum_running"] or None,
                },
                recommendation=(
                    (
                        "Autovacuum is disabled for this table, so dead rows are never cleaned up: re-enable it. "
                        if disabled
                        else "Dead rows are past the autovacuum trigger but have not been vacuumed: autovacuum is "
                        "behind (too few workers, cost limits, or long transactions holding the horizon). "
                    )
                    + "A manual VACUUM is safe to run now; lower autovacuum_vacuum_scale_factor for big tables."
                ),
                safe_fix=f"VACUUM (ANALYZE) {table};",
                citations=["autovacuum-tuning", "table-bloat"],
            )
        )
    return out


async def autovacuum_disabled(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "autovacuum_disabled", _LIMIT):
        table = qname(r["schema"], r["table"])
        resets = []
        if r["table_option"]:
            resets.append("autovacuum_enabled")
        if r["toast_option"]:
            resets.append("toast.autovacuum_enabled")
        last_vacuum, last_analyze = r["last_vacuum"], r["last_analyze"]
        out.append(
            Finding(
                check="autovacuum-disabled",
                severity="warning",
                object=table,
                evidence={
                    "option": ", ".join(
                        x for x in (r["table_option"], "toast." + r["toast_option"] if r["toast_option"] else "") if x
                    ),
                    "row_estimate": r["row_estimate"],
                    "n_dead_tup": r["n_dead_tup"],
                    "last_vacuum": last_vacuum.isoformat() if last_vacuum else None,
                    "last_analyze": last_analyze.isoformat() if last_analyze else None,
                },
                recommendation=(
                    "Autovacuum is switched off for this table: dead rows accumulate (bloat) and statistics go "
                    "stale unless a scheduled job vacuums and analyzes it. Re-enable it, tuning per-table "
                    "thresholds instead if it ran too often."
                ),
                safe_fix=f"ALTER TABLE {table} RESET ({', '.join(resets)});",
                citations=["autovacuum-tuning"],
            )
        )
    return out


CHECKS: tuple[Check, ...] = (
    Check(
        "missing-primary-key",
        "Tables without a primary key",
        ("primary-keys", "identity-and-bigint-keys"),
        missing_primary_key,
    ),
    Check(
        "not-valid-constraints", "Constraints never validated", ("constraint-missing-not-valid",), not_valid_constraints
    ),
    Check("table-bloat", "Estimated table bloat", ("table-bloat", "autovacuum-tuning"), table_bloat),
    Check("index-bloat", "Estimated btree index bloat", ("table-bloat",), index_bloat),
    Check("vacuum-lag", "Dead tuples and autovacuum lag", ("autovacuum-tuning", "table-bloat"), vacuum_lag),
    Check("autovacuum-disabled", "Tables with autovacuum switched off", ("autovacuum-tuning",), autovacuum_disabled),
)
