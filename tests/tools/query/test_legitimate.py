"""Legitimate analytical queries must pass the guard and run: PostgreSQL 15, and pgvector on PostgreSQL 18."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.query import QueryLimits, execute_sql

SETUP = """
CREATE TABLE orders (
    id int PRIMARY KEY, customer text NOT NULL, amount numeric(10, 2) NOT NULL, placed date NOT NULL,
    doc jsonb NOT NULL DEFAULT '{}', tags text[] NOT NULL DEFAULT '{}', during tstzrange
);
INSERT INTO orders
SELECT g, 'c' || (g % 5), g * 1.5, date '2024-01-01' + g,
       jsonb_build_object('items', jsonb_build_array(g, g + 1), 'vip', g % 2 = 0), ARRAY['t' || (g % 3)],
       tstzrange(timestamptz '2024-01-01' + g * interval '1 hour', NULL)
FROM generate_series(1, 40) g;
CREATE INDEX ON orders (customer);
ANALYZE orders;
"""

LIMITS = QueryLimits(statement_timeout_ms=5000, max_rows=100, max_bytes=100_000)

# (sql, params, check on the rows)
QUERIES: list[tuple[str, list[Any] | None, Callable[[list[list[Any]]], bool]]] = [
    (
        "SELECT customer, amount, rank() OVER (PARTITION BY customer ORDER BY amount DESC) AS r, "
        "sum(amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), "
        "lag(amount) OVER w, ntile(4) OVER w FROM orders WINDOW w AS (ORDER BY placed)",
        None,
        lambda rows: len(rows) == 40,
    ),
    (
        "WITH per_customer AS (SELECT customer, sum(amount) AS total FROM orders GROUP BY customer), "
        "ranked AS (SELECT *, dense_rank() OVER (ORDER BY total DESC) AS r FROM per_customer) "
        "SELECT * FROM ranked WHERE r <= 3 ORDER BY r",
        None,
        lambda rows: len(rows) == 3,
    ),
    (
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS median, "
        "percentile_disc(ARRAY[0.25, 0.75]) WITHIN GROUP (ORDER BY amount), mode() WITHIN GROUP (ORDER BY customer), "
        "count(*) FILTER (WHERE amount > 20), string_agg(DISTINCT customer, ',' ORDER BY customer), "
        "stddev(amount), corr(id, amount), bool_and(amount > 0) FROM orders",
        None,
        lambda rows: rows[0][0] == 30.75 and rows[0][4] == "c0,c1,c2,c3,c4",
    ),
    (
        "SELECT o.customer, recent.id FROM (SELECT DISTINCT customer FROM orders) o "
        "CROSS JOIN LATERAL (SELECT id FROM orders i WHERE i.customer = o.customer "
        "ORDER BY placed DESC LIMIT 2) recent",
        None,
        lambda rows: len(rows) == 10,
    ),
    (
        "SELECT id, doc->'items'->>0 AS first, jsonb_array_length(doc->'items'), doc @> '{\"vip\": true}', "
        "jsonb_path_query_array(doc, '$.items[*] ? (@ > 10)'), jsonb_build_object('id', id), to_jsonb(tags) "
        "FROM orders WHERE doc ? 'items' ORDER BY id LIMIT 5",
        None,
        lambda rows: rows[0][1] == "1" and rows[0][3] is False,
    ),
    (
        "SELECT key, count(*) FROM orders, jsonb_each(doc) GROUP BY key ORDER BY key",
        None,
        lambda rows: [r[0] for r in rows] == ["items", "vip"],
    ),
    (
        "SELECT json_agg(t ORDER BY id) FROM (SELECT id, customer FROM orders WHERE id <= $1) t",
        [2],
        lambda rows: rows[0][0] == [{"id": 1, "customer": "c1"}, {"id": 2, "customer": "c2"}],
    ),
    (
        "SELECT d::date, count(o.id) FROM generate_series(date '2024-01-01', date '2024-01-10', interval '1 day') d "
        "LEFT JOIN orders o ON o.placed = d::date GROUP BY d ORDER BY d",
        None,
        lambda rows: len(rows) == 10 and rows[0][1] == 0,
    ),
    (
        "SELECT date_trunc('month', placed) AS month, extract(dow FROM placed), to_char(placed, 'YYYY-MM'), "
        "age(placed, date '2024-01-01'), upper(during) IS NULL, unnest(tags) FROM orders ORDER BY id LIMIT 3",
        None,
        lambda rows: rows[0][2] == "2024-01",
    ),
    (
        "SELECT c.relname, c.relkind, c.reltuples, pg_size_pretty(pg_total_relation_size(c.oid)), "
        "pg_get_indexdef(i.indexrelid), format_type(a.atttypid, a.atttypmod), obj_description(c.oid, 'pg_class'), "
        "has_table_privilege(c.oid, 'SELECT') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_index i ON i.indrelid = c.oid LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1 "
        "WHERE n.nspname = 'public' ORDER BY c.relname",
        None,
        lambda rows: any(r[0] == "orders" for r in rows),
    ),
    (
        "SELECT relname, seq_scan, idx_scan, n_live_tup, n_dead_tup, last_analyze IS NOT NULL "
        "FROM pg_stat_user_tables ORDER BY relname",
        None,
        lambda rows: rows[0][0] == "orders",
    ),
    (
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
        ["public", "orders"],
        lambda rows: rows[0][1] == "id" and len(rows) == 7,
    ),
    (
        "SELECT current_setting('work_mem'), current_setting('pgsage.nothing', true), version() LIKE 'PostgreSQL%', "
        "current_database() IS NOT NULL, pg_is_in_recovery()",
        None,
        lambda rows: rows[0][1] is None and rows[0][2] is True,
    ),
    ("SHOW shared_preload_libraries", None, lambda rows: "pg_stat_statements" in rows[0][0]),
    ("TABLE orders ORDER BY id LIMIT 1", None, lambda rows: rows[0][0] == 1),
    ("VALUES (1, 'a'), (2, 'b')", None, lambda rows: rows == [[1, "a"], [2, "b"]]),
    ("EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM orders WHERE customer = 'c1'", None, lambda rows: len(rows) > 2),
    (
        "WITH RECURSIVE fib(a, b, n) AS (SELECT 0::numeric, 1::numeric, 1 UNION ALL SELECT b, a + b, n + 1 FROM fib "
        "WHERE n < 50) SELECT max(b) FROM fib",
        None,
        lambda rows: rows[0][0] == 12586269025,  # fib(50)
    ),
    (
        "SELECT customer, array_agg(id ORDER BY id) FILTER (WHERE id < 10), grouping(customer) "
        "FROM orders GROUP BY ROLLUP (customer) ORDER BY customer NULLS LAST",
        None,
        lambda rows: len(rows) == 6,
    ),
    (
        "SELECT regexp_replace(customer, '\\d', '#'), split_part('a.b.c', '.', 2), md5(customer), "
        "coalesce(NULL, 'x'), greatest(1, 2), round(amount / 3, 2), width_bucket(amount, 0, 100, 4) "
        "FROM orders ORDER BY id LIMIT 1",
        None,
        lambda rows: rows[0][0] == "c#" and rows[0][1] == "b",
    ),
    (
        "SELECT t.relname, s.n_live_tup FROM pg_stat_user_tables s JOIN pg_class t ON t.oid = s.relid "
        "WHERE EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid) AND t.relname = ANY($1::text[])",
        [["orders", "nothing"]],
        lambda rows: rows == [["orders", 40]],
    ),
    (
        "SELECT id FROM orders TABLESAMPLE BERNOULLI (100) REPEATABLE (1) ORDER BY id LIMIT 2",
        None,
        lambda rows: rows == [[1], [2]],
    ),
]


@pytest.fixture(scope="module")
async def orders_db(pg15_dsn: str) -> AsyncIterator[Database]:
    import uuid

    import asyncpg

    name = f"t_legit_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(pg15_dsn)
    dsn = pg15_dsn.rsplit("/", 1)[0] + f"/{name}"
    db = Database(DatabaseSettings(dsn=dsn, pool_max=2))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        setup = await asyncpg.connect(dsn)
        try:
            await setup.execute(SETUP)
        finally:
            await setup.close()
        yield db
    finally:
        await db.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.mark.parametrize(("sql", "params", "check"), QUERIES, ids=[q[0][:50] for q in QUERIES])
async def test_legitimate_query_runs(
    orders_db: Database, sql: str, params: list[Any] | None, check: Callable[[list[list[Any]]], bool]
) -> None:
    result = await execute_sql(orders_db, sql, params, limits=LIMITS)
    assert check(result.rows), result.rows[:3]
    assert not result.committed and result.untrusted_data


VECTOR_SETUP = """
CREATE TABLE items (id int PRIMARY KEY, title text, embedding vector(3));
INSERT INTO items VALUES (1, 'a', '[1,0,0]'), (2, 'b', '[0,1,0]'), (3, 'c', '[0.9,0.1,0]');
CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops);
"""


@pytest.mark.pg18
async def test_pgvector_queries_on_postgres_18(make_db18: Callable[..., str]) -> None:
    db = Database(DatabaseSettings(dsn=make_db18(VECTOR_SETUP, extensions=("vector",))))
    try:
        nearest = await execute_sql(
            db,
            "SELECT id, embedding <=> $1::vector AS cosine, embedding <-> $1::vector AS l2, "
            "(embedding <#> $1::vector) * -1 AS inner, l2_distance(embedding, $1::vector) "
            "FROM items ORDER BY embedding <=> $1::vector LIMIT 2",
            ["[1,0,0]"],
            limits=LIMITS,
        )
        assert [r[0] for r in nearest.rows] == [1, 3]
        assert nearest.rows[0][1] == 0
        dims = await execute_sql(
            db,
            "SELECT vector_dims(embedding), vector_norm(embedding), embedding, avg(embedding) OVER () FROM items",
            limits=LIMITS,
        )
        assert dims.rows[0][0] == 3 and dims.rows[0][2] == "[1,0,0]"
        assert {c.name: c.type for c in dims.columns}["embedding"] == "vector"
        version = await execute_sql(db, "SELECT current_setting('server_version_num')::int", limits=LIMITS)
        assert version.rows[0][0] >= 180000
    finally:
        await db.close()
