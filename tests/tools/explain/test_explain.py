"""explain / plan_cost against a real PostgreSQL 15 with HypoPG."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import asyncpg
import pytest

from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.errors import FeatureUnavailable, GuardRejected, InvalidInput
from pgsage.tools.explain import explain, plan_cost, validate_index_statement
from pgsage.tools.query import QueryLimits

SETUP = """
CREATE TABLE events (id int PRIMARY KEY, kind int NOT NULL, owner int NOT NULL, payload text NOT NULL);
INSERT INTO events SELECT g, g % 100, g % 100, md5(g::text) FROM generate_series(1, 100000) g;
ANALYZE events;
"""

LIMITS = QueryLimits(statement_timeout_ms=10_000)


@pytest.fixture
async def db(make_db: Callable[..., str]) -> AsyncIterator[Database]:
    database = Database(DatabaseSettings(dsn=make_db(SETUP, extensions=("hypopg",)), pool_max=1))
    try:
        yield database
    finally:
        await database.close()


async def _hypothetical_left(db: Database) -> int:
    async with db.connection() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM hypopg_list_indexes"))


async def _events(db: Database) -> int:
    async with db.connection() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM events"))


async def test_plain_plan_with_large_seq_scan_warning(db: Database) -> None:
    summary = await explain(db, "SELECT * FROM events WHERE payload = $1", params=["abc"], limits=LIMITS)
    assert not summary.analyzed and summary.execution_time_ms is None
    scan = summary.plan if summary.plan.node_type.endswith("Seq Scan") else summary.plan.children[0]
    assert scan.node_type.endswith("Seq Scan") and scan.relation == "events"
    assert scan.condition and "payload" in scan.condition
    assert any("Sequential scan of public.events" in w for w in summary.warnings), summary.warnings
    assert summary.total_cost > 1000 and summary.raw is None


async def test_analyze_reports_actual_rows_time_and_buffers(db: Database) -> None:
    summary = await explain(db, "SELECT kind, count(*) FROM events GROUP BY kind", analyze=True, limits=LIMITS)
    assert summary.analyzed and summary.execution_time_ms is not None and summary.planning_time_ms is not None
    assert summary.plan.actual_rows == 100 and summary.plan.loops == 1
    nodes = [summary.plan]
    while nodes[-1].children:
        nodes.append(nodes[-1].children[0])
    leaf = nodes[-1]
    assert leaf.actual_rows is not None and leaf.shared_hit is not None and leaf.shared_read is not None
    assert (leaf.shared_hit + leaf.shared_read) > 0 and leaf.actual_time_ms is not None


async def test_misestimate_warning(db: Database) -> None:
    # kind and owner are perfectly correlated: the planner multiplies selectivities (about 10 rows).
    summary = await explain(db, "SELECT * FROM events WHERE kind = 1 AND owner = 1", analyze=True, limits=LIMITS)
    assert any(w.startswith("Row misestimate") and "CREATE STATISTICS" in w for w in summary.warnings), summary.warnings


async def test_sort_spill_warning_with_planner_settings(db: Database) -> None:
    summary = await explain(
        db, "SELECT * FROM events ORDER BY payload", analyze=True, settings={"work_mem": "64kB"}, limits=LIMITS
    )
    assert any("Sort spilled to disk" in w for w in summary.warnings), summary.warnings
    assert any("work_mem=64kB" in n for n in summary.notes)
    with pytest.raises(InvalidInput, match="search_path"):
        await explain(db, "SELECT 1", settings={"search_path": "evil"}, limits=LIMITS)


async def test_hypothetical_index_changes_the_plan_and_is_reset(db: Database) -> None:
    sql = "SELECT * FROM events WHERE payload = 'x'"
    baseline = await explain(db, sql, limits=LIMITS)
    summary = await explain(
        db, sql, hypothetical_indexes=["CREATE INDEX CONCURRENTLY ON events (payload)"], format="json", limits=LIMITS
    )
    assert summary.hypothetical_indexes and summary.hypothetical_indexes_used == summary.hypothetical_indexes
    assert "btree_events_payload" in summary.hypothetical_indexes[0]
    assert summary.total_cost < baseline.total_cost / 10
    assert summary.raw is not None and summary.raw[0]["Plan"]["Total Cost"] == summary.total_cost
    assert await _hypothetical_left(db) == 0


async def test_unused_hypothetical_index_and_analyze_combination(db: Database) -> None:
    summary = await explain(
        db,
        "SELECT count(*) FROM events",
        analyze=True,
        hypothetical_indexes=["CREATE INDEX ON events (owner)"],
        limits=LIMITS,
    )
    assert not summary.analyzed
    assert any("analyze=True was ignored" in n for n in summary.notes)
    assert any("did not use" in n for n in summary.notes)
    assert await _hypothetical_left(db) == 0


async def test_explain_errors_are_clear(db: Database) -> None:
    with pytest.raises(GuardRejected, match="only reads can be analyzed"):
        await explain(db, "DELETE FROM events", analyze=True, limits=LIMITS)
    with pytest.raises(GuardRejected, match="pg_sleep"):
        await explain(db, "SELECT pg_sleep(1)", limits=LIMITS)
    with pytest.raises(InvalidInput, match="without EXPLAIN"):
        await explain(db, "EXPLAIN SELECT 1", limits=LIMITS)
    with pytest.raises(InvalidInput, match="not a CREATE INDEX"):
        await explain(db, "SELECT 1", hypothetical_indexes=["DROP TABLE events"], limits=LIMITS)
    with pytest.raises(InvalidInput, match="exactly one"):
        await explain(db, "SELECT 1", hypothetical_indexes=["CREATE INDEX ON events (id); DROP TABLE events"])
    assert await _events(db) == 100000


async def test_plan_only_explain_of_a_write_does_not_run_it(db: Database) -> None:
    summary = await explain(db, "DELETE FROM events WHERE kind = 3", limits=LIMITS)
    assert summary.statement_kind == "DELETE" and summary.plan.node_type == "ModifyTable"
    assert await _events(db) == 100000


async def test_missing_hypopg_is_a_feature_error(make_db: Callable[..., str]) -> None:
    db = Database(DatabaseSettings(dsn=make_db("CREATE TABLE t (a int)")))
    try:
        with pytest.raises(FeatureUnavailable, match="CREATE EXTENSION hypopg"):
            await explain(db, "SELECT * FROM t WHERE a = 1", hypothetical_indexes=["CREATE INDEX ON t (a)"])
        assert (await explain(db, "SELECT * FROM t WHERE a = 1")).plan.node_type == "Seq Scan"
    finally:
        await db.close()


async def test_plan_cost_for_the_index_advisor(db: Database) -> None:
    async with db.connection() as conn:
        assert isinstance(conn, asyncpg.Connection | asyncpg.pool.PoolConnectionProxy)
        sql = "SELECT * FROM events WHERE payload = 'x'"
        without = await plan_cost(conn, sql)
        with_index = await plan_cost(conn, sql, ["CREATE INDEX ON events (payload)"])
        assert with_index < without / 10
        assert await conn.fetchval("SELECT count(*) FROM hypopg_list_indexes") == 0
        assert not conn.is_in_transaction()


def test_validate_index_statement() -> None:
    assert validate_index_statement(" CREATE INDEX ON t (a) ") == "CREATE INDEX ON t (a)"
    for bad in ("", "CREATE TABLE x (a int)", "CREATE INDEX ON", "SELECT 1"):
        with pytest.raises(InvalidInput):
            validate_index_statement(bad)


async def test_raw_json_respects_the_byte_cap(db: Database) -> None:
    small = QueryLimits(max_bytes=1_000)
    summary = await explain(db, "SELECT * FROM events e JOIN events f USING (id)", format="json", limits=small)
    assert summary.raw is None and summary.truncated
    assert any("byte cap" in n for n in summary.notes)
    assert summary.plan.children  # the summary is still there
