"""The read-only guard's cost: check_readonly throughput, and execute_sql / explain latency end to end.

    python bench/bench_guard.py [--seconds 2] [--calls 200]

check_readonly is pure (pglast parse + tree walk), so its numbers are per core. execute_sql latency is
measured against the PostgreSQL 15 test cluster (tests/pgcluster.py) on loopback: BEGIN READ ONLY,
SET LOCAL timeouts, prepare, cursor fetch, ROLLBACK, pool reset; it is compared with a bare
`conn.fetch` of the same SQL to show the guard's overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import pgcluster

from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.explain import explain
from pgsage.tools.guard import check_readonly
from pgsage.tools.query import QueryLimits, execute_sql

GUARD_INPUTS = {
    "simple select": "SELECT id, body FROM notes WHERE id = $1",
    "analytical (CTE, window, lateral, json)": """
        WITH per AS (SELECT customer, sum(amount) AS total, jsonb_agg(doc) AS docs FROM orders GROUP BY customer),
             ranked AS (SELECT *, dense_rank() OVER (ORDER BY total DESC) AS r FROM per)
        SELECT r.customer, r.total, x.id, percentile_cont(0.5) WITHIN GROUP (ORDER BY o.amount)
        FROM ranked r CROSS JOIN LATERAL (SELECT id FROM orders i WHERE i.customer = r.customer LIMIT 3) x
        JOIN orders o ON o.customer = r.customer
        WHERE r.r <= 10 AND o.placed > now() - interval '30 days' AND o.doc @> '{"vip": true}'
        GROUP BY r.customer, r.total, x.id ORDER BY r.total DESC, lower(r.customer) LIMIT 50""",
    "catalog query": """
        SELECT c.relname, pg_size_pretty(pg_total_relation_size(c.oid)), pg_get_indexdef(i.indexrelid),
               format_type(a.atttypid, a.atttypmod), has_table_privilege(c.oid, 'SELECT')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_index i ON i.indrelid = c.oid LEFT JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 2 DESC""",
    "rejected (hidden function)": "SELECT * FROM t ORDER BY (SELECT pg_advisory_lock(1))",
    "rejected (two statements)": "SELECT 1; DROP TABLE t",
}


def bench_guard(seconds: float) -> None:
    print("check_readonly throughput (one core):")
    for label, sql in GUARD_INPUTS.items():
        calls = 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            check_readonly(sql)
            calls += 1
        elapsed = time.perf_counter() - started
        print(f"  {label:42s} {calls / elapsed:10,.0f} checks/s  {elapsed / calls * 1e6:8.1f} µs/check")


SETUP = """
CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);
INSERT INTO notes SELECT g, md5(g::text) FROM generate_series(1, 100000) g;
ANALYZE notes;
"""


def _report(label: str, samples: list[float]) -> None:
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"  {label:42s} median {statistics.median(samples):7.2f} ms  p95 {p95:7.2f} ms  (n={len(samples)})")


async def bench_execute(calls: int) -> None:
    admin_dsn = pgcluster.start()
    name = f"bench_guard_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    dsn = admin_dsn.rsplit("/", 1)[0] + f"/{name}"
    db = Database(DatabaseSettings(dsn=dsn, pool_max=1))
    limits = QueryLimits()
    try:
        setup = await asyncpg.connect(dsn)
        await setup.execute(SETUP + "CREATE EXTENSION hypopg;")
        queries = {
            "SELECT 1": ("SELECT 1", []),
            "point lookup ($1)": ("SELECT id, body FROM notes WHERE id = $1", [4242]),
            "200 rows (row cap)": ("SELECT id, body FROM notes ORDER BY id", []),
            "aggregate over 100k rows": ("SELECT count(*), max(body) FROM notes", []),
        }
        print(f"\nexecute_sql latency on loopback PostgreSQL 15 ({calls} calls each, pool of 1):")
        for label, (sql, params) in queries.items():
            await execute_sql(db, sql, params, limits=limits)  # warm the pool
            samples = []
            for _ in range(calls):
                started = time.perf_counter()
                await execute_sql(db, sql, params, limits=limits)
                samples.append((time.perf_counter() - started) * 1000)
            _report(label, samples)
            bare = []
            bare_sql = sql.replace("ORDER BY id", "ORDER BY id LIMIT 200")
            for _ in range(calls):
                started = time.perf_counter()
                await setup.fetch(bare_sql, *params)
                bare.append((time.perf_counter() - started) * 1000)
            _report("  bare asyncpg fetch, same SQL", bare)
        print("\nexplain_query latency:")
        for label, kwargs in {
            "plain EXPLAIN": {},
            "EXPLAIN ANALYZE": {"analyze": True},
            "EXPLAIN + 1 hypothetical index": {"hypothetical_indexes": ["CREATE INDEX ON notes (body)"]},
        }.items():
            samples = []
            for _ in range(max(calls // 4, 10)):
                started = time.perf_counter()
                await explain(db, "SELECT * FROM notes WHERE body = 'x'", limits=limits, **kwargs)
                samples.append((time.perf_counter() - started) * 1000)
            _report(label, samples)
        await setup.close()
    finally:
        await db.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per check_readonly input")
    parser.add_argument("--calls", type=int, default=200, help="execute_sql calls per query")
    args = parser.parse_args()
    bench_guard(args.seconds)
    asyncio.run(bench_execute(args.calls))


if __name__ == "__main__":
    main()
