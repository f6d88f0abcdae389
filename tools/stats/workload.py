"""The recorded workload (pg_stat_statements) as the advisors read it: query texts with their call counts.

One reader for the schema review and the index advisor; top_queries has its own richer report.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from ..errors import FeatureUnavailable
from ..plumbing import load_sql
from .pgss import pgss_status

__all__ = ["RecordedStatement", "recorded_workload"]


@dataclass(frozen=True)
class RecordedStatement:
    query: str
    calls: int
    total_ms: float


async def recorded_workload(conn: asyncpg.Connection, limit: int) -> list[RecordedStatement]:
    """The `limit` most expensive statements; FeatureUnavailable (saying how to enable it) when unusable."""
    status = await pgss_status(conn)
    if not status.usable or not status.schema:
        raise FeatureUnavailable(status.reason or "pg_stat_statements is not usable in this database.")
    async with conn.transaction():
        # Local to this (sub)transaction: finds the view wherever the extension was installed.
        await conn.execute("SELECT set_config('search_path', 'pg_catalog, ' || quote_ident($1), true)", status.schema)
        rows = await conn.fetch(load_sql("pgsage.tools.stats", "workload"), limit)
    return [RecordedStatement(r["query"], int(r["calls"]), float(r["total_ms"])) for r in rows]
