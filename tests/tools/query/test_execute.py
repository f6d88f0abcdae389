"""Layers 2 and 3 of the guard against a real PostgreSQL 15: execution alone, caps, values, write mode."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import asyncpg
import pytest

from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.errors import GuardRejected, InvalidInput, QueryFailed
from pgsage.tools.query import QueryLimits, execute_sql, run_readonly

SETUP = """
CREATE TABLE t (id int PRIMARY KEY, note text);
INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 20) g;
CREATE SEQUENCE s;
"""

LIMITS = QueryLimits(statement_timeout_ms=500, lock_timeout_ms=200, max_rows=50, max_bytes=20_000)


@pytest.fixture
async def conn(make_db: Callable[..., str]) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(make_db(SETUP))
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def db(make_db: Callable[..., str]) -> AsyncIterator[Database]:
    database = Database(DatabaseSettings(dsn=make_db(SETUP), pool_max=1))
    try:
        yield database
    finally:
        await database.close()


async def _count(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM t"))


# --- Layer 2 alone: statements the parser would reject, sent straight to the executor. ---


@pytest.mark.parametrize(
    ("sql", "sqlstate"),
    [
        ("DELETE FROM t", "25006"),
        ("UPDATE t SET note = 'x'", "25006"),
        ("INSERT INTO t VALUES (100, 'x')", "25006"),
        ("WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d", "25006"),
        ("SELECT nextval('s')", "25006"),
        ("CREATE TABLE pwn (a int)", "25006"),
        ("CREATE TEMP TABLE pwn (a int)", "25006"),
        ("SELECT * FROM t FOR UPDATE", "25006"),
        ("DROP TABLE t", "25006"),
        ("SELECT 1; DELETE FROM t", "42601"),
        ("COMMIT; DELETE FROM t", "42601"),
        ("SELECT pg_sleep(5)", "57014"),
    ],
)
async def test_executor_blocks_what_the_parser_would_reject(conn: asyncpg.Connection, sql: str, sqlstate: str) -> None:
    with pytest.raises(asyncpg.PostgresError) as caught:
        await run_readonly(conn, sql, limits=LIMITS)
    assert caught.value.sqlstate == sqlstate
    assert await _count(conn) == 20
    assert await conn.fetchval("SELECT last_value FROM s") == 1
    assert not conn.is_in_transaction()


async def test_executor_rolls_back_session_settings(conn: asyncpg.Connection) -> None:
    before = await conn.fetchval("SHOW work_mem")
    await run_readonly(conn, "SELECT set_config('work_mem', '77MB', false)", limits=LIMITS)
    await run_readonly(conn, "SET work_mem = '99MB'", limits=LIMITS)
    assert await conn.fetchval("SHOW work_mem") == before
    assert await conn.fetchval("SHOW statement_timeout") == "0"  # SET LOCAL did not leak either


async def test_executor_runs_inside_read_only_transaction(conn: asyncpg.Connection) -> None:
    result = await run_readonly(conn, "SELECT current_setting('transaction_read_only')", limits=LIMITS)
    assert result.rows == [["on"]]
    result = await run_readonly(conn, "SELECT current_setting('statement_timeout')", limits=LIMITS)
    assert result.rows == [["500ms"]]


async def test_row_cap_streams_instead_of_materialising(conn: asyncpg.Connection) -> None:
    # 4 * 10^8 rows: only a streamed result can come back within a 3 s statement_timeout.
    sql = "SELECT a FROM generate_series(1, 20000) a, generate_series(1, 20000) b"
    limits = QueryLimits(statement_timeout_ms=3000, max_rows=50, max_bytes=20_000)
    result = await run_readonly(conn, sql, limits=limits, max_rows=7)
    assert result.row_count == 7 and result.truncated
    assert "row cap" in (result.truncated_reason or "")


async def test_max_rows_argument_cannot_exceed_config(conn: asyncpg.Connection) -> None:
    result = await run_readonly(conn, "SELECT g FROM generate_series(1, 1000) g", limits=LIMITS, max_rows=5000)
    assert result.row_count == LIMITS.max_rows and result.truncated


async def test_byte_cap(conn: asyncpg.Connection) -> None:
    result = await run_readonly(conn, "SELECT repeat('x', 1000) FROM generate_series(1, 49)", limits=LIMITS)
    assert result.truncated and "byte cap" in (result.truncated_reason or "")
    assert 10 <= result.row_count < 49


async def test_one_huge_value_is_cut(conn: asyncpg.Connection) -> None:
    result = await run_readonly(conn, "SELECT repeat('x', 1000000)", limits=LIMITS)
    assert result.truncated and result.row_count == 1
    assert len(result.rows[0][0]) < 10_000 and "more characters" in result.rows[0][0]


async def test_values_become_json_safe(conn: asyncpg.Connection) -> None:
    sql = """SELECT 1.5::numeric AS n, 0.1::numeric + 0.2 AS exact, 12345678901234567890.5::numeric AS big,
        'NaN'::float8 AS nan, date '2024-01-02' AS d, timestamptz '2024-01-02 03:04:05+00' AS ts,
        interval '1 day 02:03:04' AS i, int4range(1, 5) AS r, '\\xdead'::bytea AS b, '{"a": [1]}'::jsonb AS j,
        '00000000-0000-0000-0000-000000000001'::uuid AS u, ARRAY[1, NULL] AS a, inet '10.0.0.1' AS ip,
        point(1, 2) AS p, B'101' AS bits, ROW(1, 'x') AS rec"""
    result = await run_readonly(conn, sql, limits=LIMITS)
    row = dict(zip([c.name for c in result.columns], result.rows[0], strict=True))
    assert row["n"] == 1.5 and row["exact"] == 0.3 and row["big"] == "12345678901234567890.5"
    assert row["nan"] == "nan"
    assert row["d"] == "2024-01-02" and row["ts"].startswith("2024-01-02T03:04:05")
    assert row["i"] == "P1DT2H3M4S"
    assert row["r"] == "[1,5)" and row["b"] == "\\xdead" and row["j"] == {"a": [1]}
    assert row["u"].endswith("0001") and row["a"] == [1, None] and row["ip"] == "10.0.0.1"
    assert row["p"] == [1.0, 2.0] and row["bits"] == "101" and row["rec"] == [1, "x"]  # an anonymous record: a tuple
    types = {c.name: c.type for c in result.columns}
    assert types["a"] == "int4[]" and types["j"] == "jsonb"


# --- execute_sql: guard + execution + connection policy. ---


async def _pid(db: Database) -> int:
    return int((await execute_sql(db, "SELECT pg_backend_pid()", limits=LIMITS)).rows[0][0])


async def test_params_are_bound_and_converted(db: Database) -> None:
    result = await execute_sql(
        db,
        "SELECT id, $2::date + 1 AS d FROM t WHERE id = $1 AND $3::jsonb ? 'k'",
        [3, "2024-01-31", {"k": 1}],
        limits=LIMITS,
    )
    assert result.rows == [[3, "2024-02-01"]]
    assert result.untrusted_data and "instructions" in result.note
    with pytest.raises(InvalidInput, match="2 value"):
        await execute_sql(db, "SELECT $1::int", [1, 2], limits=LIMITS)
    with pytest.raises(InvalidInput, match=r"\$1"):
        await execute_sql(db, "SELECT $1::int", ["seven"], limits=LIMITS)


async def test_rejections_name_the_reason(db: Database) -> None:
    with pytest.raises(GuardRejected, match=r"DELETE is not a read.*access-mode write"):
        await execute_sql(db, "DELETE FROM t", limits=LIMITS)
    with pytest.raises(GuardRejected, match="pg_sleep"):
        await execute_sql(db, "SELECT * FROM pg_sleep(1)", limits=LIMITS)
    with pytest.raises(InvalidInput, match="Syntax error"):
        await execute_sql(db, "SELEC 1", limits=LIMITS)


async def test_clean_connection_is_reused_and_a_failed_one_discarded(db: Database) -> None:
    first = await _pid(db)
    assert await _pid(db) == first
    with pytest.raises(QueryFailed, match="statement_timeout"):
        await execute_sql(db, "SELECT count(*) FROM generate_series(1, 10000000000)", limits=LIMITS)
    after_timeout = await _pid(db)
    assert after_timeout != first
    with pytest.raises(QueryFailed, match="42703"):
        await execute_sql(db, "SELECT nosuch FROM t", limits=LIMITS)
    assert await _pid(db) != after_timeout


async def test_write_mode_commits_and_discards_the_connection(db: Database) -> None:
    writes = QueryLimits(**{**LIMITS.__dict__, "allow_writes": True})
    pid = await _pid(db)
    result = await execute_sql(db, "UPDATE t SET note = $1 WHERE id <= 3", ["changed"], limits=writes)
    assert result.committed and result.status == "UPDATE 3" and result.statement_kind == "UPDATE"
    assert await _pid(db) != pid
    check = await execute_sql(db, "SELECT count(*) FROM t WHERE note = 'changed'", limits=writes)
    assert check.rows == [[3]] and not check.committed  # reads stay read-only, rolled back
    returning = await execute_sql(db, "DELETE FROM t WHERE id > 18 RETURNING id", limits=writes)
    assert sorted(r[0] for r in returning.rows) == [19, 20] and returning.committed
    with pytest.raises(GuardRejected, match="own transaction"):
        await execute_sql(db, "COMMIT", limits=writes)
    with pytest.raises(GuardRejected, match="Multiple statements"):
        await execute_sql(db, "UPDATE t SET note = 'a'; DROP TABLE t", limits=writes)
    with pytest.raises(GuardRejected, match="terminates"):
        await execute_sql(db, "SELECT pg_terminate_backend(1)", limits=writes)
    with pytest.raises(QueryFailed, match=r"transaction block.*psql"):
        await execute_sql(db, "CREATE INDEX CONCURRENTLY ON t (note)", limits=writes)
    assert (await execute_sql(db, "SELECT count(*) FROM t", limits=writes)).rows == [[18]]


async def test_lock_timeout_applies(db: Database) -> None:
    assert db.settings.dsn
    holder = await asyncpg.connect(db.settings.dsn)
    try:
        await holder.execute("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(QueryFailed, match="lock_timeout") as caught:
            await execute_sql(db, "SELECT count(*) FROM t", limits=LIMITS)
        assert caught.value.sqlstate == "55P03"
        await holder.execute("ROLLBACK")
    finally:
        await holder.close()
    assert (await execute_sql(db, "SELECT count(*) FROM t", limits=LIMITS)).rows == [[20]]
