"""Session checks: connection headroom, idle-in-transaction sessions, long-running and blocked queries,
and forgotten prepared transactions."""

from __future__ import annotations

import asyncpg

from ..plumbing import jsonable
from .base import Check, CheckContext, Finding, fetch

__all__ = ["CHECKS"]

_LIMIT = 50


async def connections(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    r = (await fetch(conn, "connections"))[0]
    usable = max(r["max_connections"] - r["reserved_connections"], 1)
    fraction = r["connections"] / usable
    if fraction < ctx.thresholds.connections_warn_fraction:
        return []
    return [
        Finding(
            check="connections",
            severity="critical" if fraction >= 0.95 else "warning",
            object="server",
            evidence={
                "connections": r["connections"],
                "usable_slots": usable,
                "fraction_used": round(fraction, 3),
                "active": r["active"],
                "idle": r["idle"],
                "idle_in_transaction": r["idle_in_transaction"],
            },
            recommendation=(
                "Connections are close to max_connections; new clients will be refused. Put a pooler "
                "(PgBouncer in transaction mode) in front rather than raising max_connections, and close idle "
                "sessions."
            ),
            citations=["idle-in-transaction"],
        )
    ]


async def idle_in_transaction(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "idle_in_transaction", _LIMIT, ctx.thresholds.idle_in_transaction_seconds):
        out.append(
            Finding(
                check="idle-in-transaction",
                severity="warning",
                object=f"pid {r['pid']}",
                evidence={
                    k: r[k]
                    for k in (
                        "role",
                        "database",
                        "application",
                        "state",
                        "idle_seconds",
                        "xact_seconds",
                        "xmin_age",
                        "locks_held",
                        "last_query",
                    )
                },
                recommendation=(
                    "This session holds a transaction open while doing nothing: its locks block DDL and its "
                    "snapshot stops vacuum. Fix the application's transaction handling, set "
                    "idle_in_transaction_session_timeout, and end this one with pg_terminate_backend(pid) if "
                    "needed (its work is rolled back)."
                ),
                citations=["idle-in-transaction"],
            )
        )
    return out


async def long_running_queries(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "long_running_queries", _LIMIT, ctx.thresholds.long_query_seconds):
        out.append(
            Finding(
                check="long-running-queries",
                severity="warning",
                object=f"pid {r['pid']}",
                evidence={
                    k: r[k]
                    for k in (
                        "role",
                        "database",
                        "application",
                        "query_seconds",
                        "wait_type",
                        "wait_event",
                        "xmin_age",
                        "query",
                    )
                },
                recommendation=(
                    "A statement has been running for a long time; it holds its snapshot (delaying vacuum) and "
                    "its locks. EXPLAIN it, and cap runaway statements with statement_timeout; "
                    "pg_cancel_backend(pid) stops it."
                ),
                citations=["blocking-locks"],
            )
        )
    return out


async def blocked_queries(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "blocked_queries", _LIMIT, ctx.thresholds.blocked_seconds):
        out.append(
            Finding(
                check="blocked-queries",
                severity="warning",
                object=f"pid {r['pid']}",
                evidence={
                    "blocked_by": list(r["blocked_by"]),
                    "waiting_seconds": r["waiting_seconds"],
                    "waiting_for": r["waiting_for"],
                    "query": r["query"],
                    "blockers": jsonable(r["blockers"]),
                },
                recommendation=(
                    "This session waits on locks held by the blockers listed. Look at the blocker at the root "
                    "of the chain (often idle in transaction or running DDL); set lock_timeout on migrations "
                    "so they fail fast instead of queueing everyone behind them."
                ),
                citations=["blocking-locks"],
            )
        )
    return out


async def prepared_transactions(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "prepared_transactions", _LIMIT, ctx.thresholds.idle_in_transaction_seconds):
        out.append(
            Finding(
                check="prepared-transactions",
                severity="warning",
                object=f"prepared transaction {r['gid']}",
                evidence={k: r[k] for k in ("owner", "database", "xid_age", "prepared_seconds")},
                recommendation=(
                    "An old prepared transaction keeps its locks and holds back vacuum (and wraparound "
                    "protection) until COMMIT PREPARED or ROLLBACK PREPARED; find the coordinator that lost it."
                ),
                citations=["transaction-id-wraparound"],
            )
        )
    return out


CHECKS: tuple[Check, ...] = (
    Check("connections", "Connection headroom", ("idle-in-transaction",), connections),
    Check("idle-in-transaction", "Idle-in-transaction sessions", ("idle-in-transaction",), idle_in_transaction),
    Check("long-running-queries", "Long-running queries", ("blocking-locks",), long_running_queries),
    Check("blocked-queries", "Blocked queries", ("blocking-locks",), blocked_queries),
    Check("prepared-transactions", "Old prepared transactions", ("transaction-id-wraparound",), prepared_transactions),
)
