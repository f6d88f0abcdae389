"""The live workload for the review: the most expensive statements recorded by pg_stat_statements."""

from __future__ import annotations

from functools import cache
from importlib import resources

import asyncpg

from ..database import Database
from ..errors import FeatureUnavailable
from ..sqlident import qualified_name

__all__ = ["top_statements"]


@cache
def _sql(name: str) -> str:
    return resources.files(__package__).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


async def top_statements(db: Database, limit: int = 200) -> list[str]:
    """Query texts of the `limit` statements with the highest total time in the current database."""

    async def work(conn: asyncpg.Connection) -> list[str]:
        schema = await conn.fetchval(_sql("stat_statements_schema"))
        if schema is None:
            raise FeatureUnavailable(
                "pg_stat_statements is not installed in this database: CREATE EXTENSION pg_stat_statements "
                "(it must also be in shared_preload_libraries), or pass the queries yourself"
            )
        query = _sql("top_statements").replace("{relation}", qualified_name(schema, "pg_stat_statements"))
        rows = await conn.fetch(query, limit)
        return [row["query"] for row in rows]

    return await db.run(work)
