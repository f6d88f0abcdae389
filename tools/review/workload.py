"""The live workload for the review: the most expensive statements recorded by pg_stat_statements."""

from __future__ import annotations

import asyncpg

from ..database import Database
from ..stats import recorded_workload

__all__ = ["top_statements"]


async def top_statements(db: Database, limit: int = 200) -> list[str]:
    """Query texts of the `limit` statements with the highest total time in the current database."""

    async def work(conn: asyncpg.Connection) -> list[str]:
        return [statement.query for statement in await recorded_workload(conn, limit)]

    return await db.run(work)
