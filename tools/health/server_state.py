"""Server-wide checks: cache hit ratios and replication (slots and standby lag)."""

from __future__ import annotations

import asyncpg

from .base import Check, CheckContext, Finding, fetch

__all__ = ["CHECKS"]


async def cache_hit_ratio(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    r = (await fetch(conn, "cache_hit"))[0]
    t = ctx.thresholds
    out: list[Finding] = []
    for label, hit, read in (("tables", r["heap_hit"], r["heap_read"]), ("indexes", r["index_hit"], r["index_read"])):
        total = hit + read
        if total < t.cache_min_blocks or total == 0:
            continue
        ratio = hit / total
        if ratio >= t.cache_min_ratio:
            continue
        out.append(
            Finding(
                check="cache-hit-ratio",
                severity="warning" if ratio < 0.95 else "info",
                object=f"{label} of this database",
                evidence={
                    "hit_ratio": round(ratio, 4),
                    "blocks_hit": hit,
                    "blocks_read": read,
                    "shared_buffers": r["shared_buffers"],
                },
                recommendation=(
                    f"Only {ratio:.1%} of {label} block requests were served from shared_buffers. If the "
                    "working set should fit in memory, raise shared_buffers (about 25% of RAM) or add RAM; "
                    "otherwise look for sequential scans that an index would avoid (top_queries, order_by=io)."
                ),
            )
        )
    return out


async def replication_slots(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for r in await fetch(conn, "replication_slots", 100):
        retained = r["retained_bytes"] or 0
        lost = r["wal_status"] == "lost"
        problems: list[str] = []
        if lost:
            problems.append("the WAL it needs is gone (wal_status lost); the consumer must be re-synced")
        if not r["active"]:
            problems.append("no consumer is connected, so it keeps WAL (and, for logical slots, catalog rows)")
        if retained >= ctx.thresholds.slot_retained_bytes:
            problems.append(f"it holds {retained:,} bytes of WAL")
        if not problems:
            continue
        out.append(
            Finding(
                check="replication-slots",
                severity="critical" if lost or retained >= 4 * ctx.thresholds.slot_retained_bytes else "warning",
                object=f"slot {r['slot']}",
                evidence={
                    k: r[k]
                    for k in (
                        "type",
                        "database",
                        "active",
                        "wal_status",
                        "retained_bytes",
                        "xmin_age",
                        "catalog_xmin_age",
                        "max_slot_wal_keep_size",
                    )
                },
                recommendation=(
                    "; ".join(problems).capitalize() + ". Reconnect its consumer, or drop the slot with "
                    "pg_drop_replication_slot() if it is abandoned; set max_slot_wal_keep_size to cap the "
                    "WAL a slot can hold."
                ),
                citations=["transaction-id-wraparound"],
            )
        )
    return out


async def replication_lag(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    t = ctx.thresholds
    out: list[Finding] = []
    for r in await fetch(conn, "replication_lag", 100):
        lag_bytes, lag_seconds = r["lag_bytes"] or 0, r["lag_seconds"] or 0.0
        if lag_bytes < t.replication_lag_bytes and lag_seconds < t.replication_lag_seconds:
            continue
        out.append(
            Finding(
                check="replication-lag",
                severity="warning",
                object=f"standby {r['standby']}",
                evidence={k: r[k] for k in ("address", "state", "sync_state", "lag_bytes", "lag_seconds")},
                recommendation=(
                    "The standby replays far behind the primary: reads there are stale and failover would lose "
                    "or delay data. Check its I/O and network, and conflicts with long queries on the standby."
                ),
            )
        )
    return out


CHECKS: tuple[Check, ...] = (
    Check("cache-hit-ratio", "Cache hit ratios", (), cache_hit_ratio),
    Check("replication-slots", "Replication slots", ("transaction-id-wraparound",), replication_slots),
    Check("replication-lag", "Replication lag", (), replication_lag),
)
