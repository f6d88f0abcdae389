"""Transaction ID and multixact ID wraparound: how close each database and table is to 2^31."""

from __future__ import annotations

import asyncpg

from .base import Check, CheckContext, Finding, Severity, fetch, qname

__all__ = ["CHECKS", "WRAP_LIMIT"]

WRAP_LIMIT = 2**31
_CITE = ["transaction-id-wraparound"]


def _severity(age: int, ctx: CheckContext) -> Severity | None:
    fraction = age / WRAP_LIMIT
    if fraction >= ctx.thresholds.wraparound_critical_fraction:
        return "critical"
    if fraction >= ctx.thresholds.wraparound_warn_fraction:
        return "warning"
    return None


def _advice(kind: str, freeze_max: int) -> str:
    return (
        f"The oldest unfrozen {kind} is getting close to the 2^31 limit (autovacuum forces freezing from age "
        f"{freeze_max:,}). Find what blocks freezing (long transactions, abandoned replication slots or "
        "prepared transactions, autovacuum failing on a table) and run VACUUM (FREEZE) on the oldest "
        "tables; at 2^31 PostgreSQL stops accepting writes."
    )


async def wraparound(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    dbs = await fetch(conn, "wraparound_databases")
    for r in dbs:
        for kind, age, freeze, check in (
            ("transaction ID", r["xid_age"], r["freeze_max_age"], "xid-wraparound"),
            ("multixact ID", r["mxid_age"], r["multixact_freeze_max_age"], "multixact-wraparound"),
        ):
            severity = _severity(age, ctx)
            if severity:
                out.append(
                    Finding(
                        check=check,
                        severity=severity,
                        object=f"database {r['database']}",
                        evidence={
                            "age": age,
                            "fraction_of_limit": round(age / WRAP_LIMIT, 4),
                            "freeze_max_age": freeze,
                        },
                        recommendation=_advice(kind, freeze),
                        citations=_CITE,
                    )
                )
    min_age = int(ctx.thresholds.wraparound_warn_fraction * WRAP_LIMIT)
    for r in await fetch(conn, "wraparound_tables", 20, min_age):
        table = qname(r["schema"], r["table"])
        for kind, age, check in (
            ("transaction ID", r["xid_age"], "xid-wraparound"),
            ("multixact ID", r["mxid_age"], "multixact-wraparound"),
        ):
            severity = _severity(age, ctx)
            if severity:
                out.append(
                    Finding(
                        check=check,
                        severity=severity,
                        object=table,
                        evidence={"age": age, "fraction_of_limit": round(age / WRAP_LIMIT, 4), "bytes": r["bytes"]},
                        recommendation=f"This table holds the oldest unfrozen {kind}s; freeze it now.",
                        safe_fix=f"VACUUM (FREEZE, VERBOSE) {table};",
                        citations=_CITE,
                    )
                )
    return out


CHECKS: tuple[Check, ...] = (
    Check(
        "xid-wraparound",
        "Transaction ID and multixact wraparound",
        tuple(_CITE),
        wraparound,
        emits=("multixact-wraparound",),
    ),
)
