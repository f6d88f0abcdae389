"""The index advisor on a generated workload: its indexes, created for real, make the queries cheaper."""

from __future__ import annotations

import asyncpg
import pytest

from pgsage.knowledge.citations import page_path
from pgsage.tools.advisor import recommend_indexes
from pgsage.tools.advisor.workload import parse_query
from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.errors import FeatureUnavailable, InvalidInput

SCHEMA = """
CREATE EXTENSION hypopg;
CREATE TABLE sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id int NOT NULL,
    status text NOT NULL,
    meta jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL
);
CREATE TABLE messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES sessions (id),
    role text NOT NULL,
    created_at timestamptz NOT NULL
);
INSERT INTO sessions (project_id, status, meta, updated_at)
SELECT g % 200, (ARRAY['active', 'archived', 'expired'])[1 + g % 3], jsonb_build_object('user', g % 1000),
       now() - g * interval '1 minute'
FROM generate_series(1, 30000) g;
INSERT INTO messages (session_id, role, created_at)
SELECT 1 + g % 30000, (ARRAY['user', 'assistant'])[1 + g % 2], now() - g * interval '1 second'
FROM generate_series(1, 60000) g;
ANALYZE;
"""

WORKLOAD = [
    "SELECT id, updated_at FROM sessions WHERE project_id = 42 AND status = 'active' ORDER BY updated_at DESC LIMIT 20",
    "SELECT role, created_at FROM messages WHERE session_id = 1234 ORDER BY created_at",
    "SELECT count(*) FROM sessions WHERE meta @> '{\"user\": 7}'",
]


def _db(dsn: str) -> Database:
    return Database(DatabaseSettings(dsn=dsn))


async def _buffers(dsn: str, sql: str) -> tuple[int, str]:
    """Shared buffers touched by a real execution, and the plan's scans (deterministic, unlike timings)."""
    conn = await asyncpg.connect(dsn)
    try:
        plan = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
    finally:
        await conn.close()
    import json

    root = json.loads(plan)[0]["Plan"]
    return root.get("Shared Hit Blocks", 0) + root.get("Shared Read Blocks", 0), json.dumps(root)


async def test_recommended_indexes_make_the_workload_faster_for_real(make_db) -> None:
    dsn = make_db(SCHEMA)
    db = _db(dsn)
    try:
        advice = await recommend_indexes(db, queries=WORKLOAD, from_pg_stat_statements=False, max_indexes=3)
    finally:
        await db.close()
    measured = [r for r in advice.recommendations if r.measured]
    assert measured, advice
    assert advice.total_cost_after < advice.total_cost_before / 2
    tables = {r.table for r in measured}
    assert tables == {"public.sessions", "public.messages"}
    messages_index = next(r for r in measured if r.table == "public.messages")
    assert "(session_id" in messages_index.statement and "CONCURRENTLY" in messages_index.statement
    sessions_index = next(r for r in measured if r.table == "public.sessions")
    # Equality columns lead, the ORDER BY column follows.
    assert sessions_index.statement.index("updated_at") > sessions_index.statement.index("project_id")
    gin = [r for r in advice.recommendations if r.method == "gin"]
    assert gin and "jsonb_path_ops" in gin[0].statement and not gin[0].measured
    for rec in advice.recommendations:
        assert rec.citations and all(page_path(c.page) is not None for c in rec.citations), rec.citations

    before = [await _buffers(dsn, q) for q in WORKLOAD[:2]]
    conn = await asyncpg.connect(dsn)
    try:
        for rec in measured:
            await conn.execute(rec.statement)  # CONCURRENTLY: autocommit, outside a transaction
    finally:
        await conn.close()
    after = [await _buffers(dsn, q) for q in WORKLOAD[:2]]
    for (blocks_before, _), (blocks_after, plan_after) in zip(before, after, strict=True):
        assert blocks_after < blocks_before / 5, (blocks_before, blocks_after)
        assert "Index" in plan_after


async def test_the_advisor_leaves_no_hypothetical_index_or_prepared_statement_behind(make_db) -> None:
    dsn = make_db(SCHEMA)
    db = Database(DatabaseSettings(dsn=dsn, pool_max=1))
    try:
        await recommend_indexes(
            db, queries=[*WORKLOAD, "SELECT * FROM sessions WHERE project_id = $1"], from_pg_stat_statements=False
        )
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT count(*) FROM hypopg_list_indexes") == 0
            assert await conn.fetchval("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'pgsage%'") == 0
            assert await conn.fetchval("SELECT count(*) FROM pg_indexes WHERE tablename = 'sessions'") == 1
    finally:
        await db.close()


async def test_parameterised_statements_are_planned_generically(make_db) -> None:
    dsn = make_db(SCHEMA)
    db = _db(dsn)
    try:
        advice = await recommend_indexes(
            db, queries=["SELECT id FROM messages WHERE session_id = $1"], from_pg_stat_statements=False
        )
    finally:
        await db.close()
    assert advice.queries[0].cost_after < advice.queries[0].cost_before
    assert "messages" in advice.recommendations[0].statement


async def test_rejected_and_unparsable_queries_are_reported_not_fatal(make_db) -> None:
    db = _db(make_db(SCHEMA))
    try:
        advice = await recommend_indexes(
            db,
            queries=[WORKLOAD[1], "SELECT pg_sleep(10) FROM sessions", "SELEC nonsense", "SELECT * FROM nowhere"],
            from_pg_stat_statements=False,
        )
        with pytest.raises(InvalidInput):
            await recommend_indexes(db, queries=["DROP TABLE sessions"], from_pg_stat_statements=False)
    finally:
        await db.close()
    errors = {q.query: q.error for q in advice.queries}
    assert errors[1] is None and "pg_sleep" in errors[2] and errors[3]
    assert "42P01" in errors[4]  # planned inside a savepoint: the other queries are still advised
    assert advice.queries[0].cost_after < advice.queries[0].cost_before


async def test_without_hypopg_the_advice_is_unmeasured_and_says_so(make_db) -> None:
    db = _db(make_db(SCHEMA.replace("CREATE EXTENSION hypopg;", "")))
    try:
        advice = await recommend_indexes(db, queries=WORKLOAD, from_pg_stat_statements=False)
        with pytest.raises(FeatureUnavailable, match="shared_preload_libraries"):
            await recommend_indexes(db, queries=None, from_pg_stat_statements=True)
    finally:
        await db.close()
    assert advice.recommendations and not any(r.measured for r in advice.recommendations)
    assert any("HypoPG is not installed" in n for n in advice.notes)


async def test_uses_pg_stat_statements_as_the_workload(make_db) -> None:
    dsn = make_db(SCHEMA + "CREATE EXTENSION pg_stat_statements;")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SELECT pg_stat_statements_reset()")
        for session_id in range(5):
            await conn.fetch("SELECT role FROM messages WHERE session_id = $1", session_id)
    finally:
        await conn.close()
    db = _db(dsn)
    try:
        advice = await recommend_indexes(db, from_pg_stat_statements=True)
    finally:
        await db.close()
    assert any("session_id" in r.statement for r in advice.recommendations if r.measured)
    assert any(q.weight >= 5 for q in advice.queries)


def test_workload_shapes_come_from_the_parse_tree() -> None:
    shape = parse_query(
        "SELECT s.id FROM sessions s JOIN messages m ON m.session_id = s.id "
        "WHERE s.project_id = 1 AND s.updated_at > now() AND s.meta @> '{}' ORDER BY s.updated_at DESC LIMIT 5"
    )
    uses = {ref.name: use for ref, use in shape.uses}
    assert uses["sessions"].eq == ["id", "project_id"]
    assert uses["sessions"].range == ["updated_at"]
    assert uses["sessions"].sort == [("updated_at", True)]
    assert uses["sessions"].jsonb == {"meta": {"@>"}}
    assert uses["messages"].eq == ["session_id"]
    nested = parse_query(
        "SELECT id FROM chunks WHERE project_id = 1 ORDER BY v <=> (SELECT v FROM chunks WHERE id = 2)"
    )
    assert sorted(use.eq for _, use in nested.uses) == [["id"], ["project_id"]]  # one access per scope
    assert shape.has_limit and not shape.parameterized
