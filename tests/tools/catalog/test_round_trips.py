"""The catalog tools cost a fixed number of queries whatever the number of tables (no per-table loops)."""

from __future__ import annotations

from typing import Any

import asyncpg

from pgsage.tools.catalog import activity, db_overview, describe_object, list_objects
from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.health import health_check


class _Counting:
    def __init__(self, conn: asyncpg.Connection, counter: list[int]) -> None:
        self._conn, self._counter = conn, counter

    def __getattr__(self, name: str) -> Any:
        if name in ("fetch", "fetchrow", "fetchval", "execute"):
            self._counter[0] += 1
        return getattr(self._conn, name)


class CountingDatabase(Database):
    def __init__(self, dsn: str) -> None:
        super().__init__(DatabaseSettings(dsn))
        self.trips = [0]

    async def run(self, work, *, retry: bool = True):  # type: ignore[override]
        return await super().run(lambda conn: work(_Counting(conn, self.trips)), retry=retry)


def _schema(tables: int) -> str:
    return "; ".join(
        f"CREATE TABLE t{i} (id int PRIMARY KEY, ref int REFERENCES t{max(i - 1, 0)}, note text);"
        f" CREATE INDEX ON t{i} (note)"
        for i in range(tables)
    )


async def _trips(dsn: str) -> dict[str, int]:
    db = CountingDatabase(dsn)
    await db.server_version_num()
    calls = {
        "db_overview": lambda: db_overview(db),
        "list_objects": lambda: list_objects(db, limit=50),
        "describe_object": lambda: describe_object(db, "t3"),
        "activity": lambda: activity(db),
        "health_check": lambda: health_check(db),
    }
    out: dict[str, int] = {}
    try:
        for name, call in calls.items():
            db.trips[0] = 0
            await call()
            out[name] = db.trips[0]
    finally:
        await db.close()
    return out


async def test_round_trips_do_not_grow_with_the_catalog(make_db) -> None:
    small = await _trips(make_db(_schema(5)))
    large = await _trips(make_db(_schema(150)))
    assert small == large
    assert small["list_objects"] == 1 and small["describe_object"] <= 8
