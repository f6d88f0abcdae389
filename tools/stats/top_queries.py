"""`top_queries`: the statements that cost this database the most, from pg_stat_statements."""

from __future__ import annotations

from typing import Literal

import asyncpg
from pydantic import Field

from ..database import Database
from ..errors import FeatureUnavailable, InvalidInput
from ..plumbing import CompactModel, load_sql, read_only, shrink_lists
from .pgss import pgss_status, pgss_version_tuple

__all__ = ["ORDERS", "TopQueries", "TopQuery", "top_queries"]

_PKG = "pgsage.tools.stats"
QueryOrder = Literal["total", "mean", "calls", "io"]
ORDERS: tuple[str, ...] = ("total", "mean", "calls", "io")
_QUERY_CHARS = 600


class TopQuery(CompactModel):
    queryid: str
    query: str
    calls: int
    rows: int
    total_ms: float
    mean_ms: float
    percent_of_total_time: float | None = None
    shared_blks_hit: int
    shared_blks_read: int
    shared_blks_written: int
    temp_blks: int
    io_ms: float
    hit_ratio: float | None = None
    wal_bytes: int | None = None


class TopQueries(CompactModel):
    order_by: str
    extension_version: str
    statements_tracked: int
    queries: list[TopQuery]
    truncated: bool = False
    notes: list[str] = Field(default_factory=list)


async def top_queries(db: Database, order_by: str = "total", limit: int = 10, max_bytes: int = 64_000) -> TopQueries:
    """The `limit` costliest statements of the current database, ordered by total or mean time, calls or
    blocks read from outside shared buffers ("io")."""
    if order_by not in ORDERS:
        raise InvalidInput(f"order_by must be one of {', '.join(ORDERS)}, not {order_by!r}.")
    if not 1 <= limit <= 100:
        raise InvalidInput("limit must be between 1 and 100.")

    async def work(conn: asyncpg.Connection) -> TopQueries:
        status = await pgss_status(conn)
        if not status.usable:
            raise FeatureUnavailable(status.reason or "pg_stat_statements is not usable.")
        assert status.installed_version is not None
        version = pgss_version_tuple(status.installed_version)
        # The view's columns follow the installed extension version, not the server version.
        sql = load_sql(_PKG, "top_queries_1_11" if version >= (1, 11) else "top_queries_1_8")
        rows = await conn.fetch(sql, order_by, limit + 1, _QUERY_CHARS)
        notes: list[str] = []
        privileged = await conn.fetchval(
            "SELECT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') OR "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
        )
        if not privileged:
            notes.append("This role sees the text of its own statements only; grant pg_read_all_stats for all of them.")
        if any(r["io_ms"] == 0 for r in rows) and await conn.fetchval("SHOW track_io_timing") == "off":
            notes.append("track_io_timing is off, so io_ms is 0; 'io' ordering uses blocks read.")
        queries = [TopQuery(**{k: v for k, v in dict(r).items() if k != "statements"}) for r in rows[:limit]]
        return TopQueries(
            order_by=order_by,
            extension_version=status.installed_version,
            statements_tracked=rows[0]["statements"] if rows else 0,
            queries=queries,
            truncated=len(rows) > limit,
            notes=notes,
        )

    result = await read_only(db, work)
    if shrink_lists(result, ("queries",), max_bytes):
        result.truncated = True
    return result
