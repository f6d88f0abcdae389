"""activity (live sessions, blocking chains, locks) and top_queries (pg_stat_statements)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from pgsage.tools.catalog import activity
from pgsage.tools.errors import FeatureUnavailable, InvalidInput
from pgsage.tools.stats import top_queries


async def _wait_until_blocked(admin: asyncpg.Connection, pid: int) -> None:
    for _ in range(100):
        if await admin.fetchval("SELECT cardinality(pg_blocking_pids($1)) > 0", pid):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the second session never blocked")


async def test_activity_shows_blocking_chain_and_locks(make_db, connect) -> None:
    dsn = make_db("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)")
    holder = await asyncpg.connect(dsn)
    waiter = await asyncpg.connect(dsn)
    try:
        await holder.execute("BEGIN; UPDATE t SET id = 1 WHERE id = 1")
        blocked = asyncio.create_task(waiter.execute("UPDATE t SET id = 2 WHERE id = 1"))
        await _wait_until_blocked(holder, waiter.get_server_pid())
        snap = await activity(connect(dsn))
        chain = next(c for c in snap.chains if c.pid == waiter.get_server_pid())
        assert chain.root_blocker == holder.get_server_pid()
        waiting = next(s for s in snap.blocking if s.pid == waiter.get_server_pid())
        assert waiting.blocked_by == [holder.get_server_pid()]
        assert waiting.query and "UPDATE t SET id = 2" in waiting.query
        assert waiting.waiting_for and waiting.waiting_for.startswith("ShareLock")
        holding = next(s for s in snap.blocking if s.pid == holder.get_server_pid())
        assert holding.state == "idle in transaction"
        assert any(not lock.granted for lock in snap.locks)
        states = {g.state for g in snap.sessions}
        assert "idle in transaction" in states and "active" in states
        assert any(s.pid == holder.get_server_pid() for s in snap.oldest_transactions)
        await holder.execute("ROLLBACK")
        await blocked
    finally:
        await holder.close()
        await waiter.close()


async def test_activity_on_a_quiet_pg18(make_db18, connect) -> None:
    snap = await activity(connect(make_db18()))
    assert snap.blocking == [] and snap.chains == []


async def test_top_queries_orders_by_each_measure(make_db, connect) -> None:
    dsn = make_db(
        "CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 20000) g", extensions=("pg_stat_statements",)
    )
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SELECT pg_stat_statements_reset()")
        for _ in range(30):
            await conn.fetchval("SELECT count(*) FROM big WHERE id < 5")
        await conn.fetchval("SELECT count(*) FROM big a JOIN big b USING (id)")
    finally:
        await conn.close()
    db = connect(dsn)
    by_calls = await top_queries(db, order_by="calls", limit=3)
    assert by_calls.extension_version == "1.10"
    top = by_calls.queries[0]
    assert top.calls == 30 and "FROM big WHERE id < $1" in top.query
    by_mean = await top_queries(db, order_by="mean", limit=5)
    assert "JOIN big b" in by_mean.queries[0].query
    assert by_mean.queries[0].mean_ms >= by_mean.queries[-1].mean_ms
    by_total = await top_queries(db, order_by="total", limit=1)
    assert by_total.truncated and len(by_total.queries) == 1
    assert (await top_queries(db, order_by="io", limit=2)).queries


async def test_top_queries_without_the_extension_says_what_to_configure(make_db, connect) -> None:
    with pytest.raises(FeatureUnavailable, match=r"shared_preload_libraries.*CREATE EXTENSION pg_stat_statements"):
        await top_queries(connect(make_db()))


async def test_top_queries_installed_but_not_preloaded_on_pg18(make_db18, connect) -> None:
    # The embedded PostgreSQL 18 ships without contrib: the answer says how to get it.
    with pytest.raises(FeatureUnavailable, match="shared_preload_libraries"):
        await top_queries(connect(make_db18()))


async def test_top_queries_rejects_bad_arguments(make_db, connect) -> None:
    db = connect(make_db())
    with pytest.raises(InvalidInput, match="order_by"):
        await top_queries(db, order_by="slowest")
    with pytest.raises(InvalidInput, match="limit"):
        await top_queries(db, limit=0)
