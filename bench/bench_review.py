"""Schema review benchmark: model loading from SQL and from the live catalog, and the review itself, on a
generated multi-tenant schema.

    python bench/bench_review.py [--tables 300] [--runs 5]

Uses the PostgreSQL 15 test cluster (tests/pgcluster.py starts it if needed) in a scratch database that is
dropped afterwards. Prints medians; asserts nothing except that both sources give the same findings.
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

from pgsage.tools.review import review
from pgsage.tools.schema_model import load_model_from_connection, load_model_from_sql

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
import pgcluster


def schema_sql(tables: int) -> str:
    parts = [
        "CREATE TABLE projects (id uuid PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());",
        "CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) UNIQUE, created_at timestamp);",
    ]
    for n in range(tables):
        parts.append(
            f"CREATE TABLE t{n} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
            f"project_id uuid {'NOT NULL' if n % 3 else ''} REFERENCES projects (id) "
            f"{'ON DELETE CASCADE' if n % 4 else ''}, owner_id int REFERENCES users, meta jsonb, "
            f"title varchar(100), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz);"
        )
        if n % 2:
            parts.append(f"CREATE INDEX t{n}_project_id_idx ON t{n} (project_id, created_at);")
            parts.append(f"CREATE INDEX t{n}_project_id_only_idx ON t{n} (project_id);")
        if n % 5 == 0:
            parts.append(f"CREATE INDEX t{n}_meta_idx ON t{n} USING gin (meta jsonb_path_ops);")
            parts.append(f"ALTER TABLE t{n} ENABLE ROW LEVEL SECURITY;")
            parts.append(
                f"CREATE POLICY t{n}_tenant ON t{n} USING (project_id = current_setting('app.project_id')::uuid);"
            )
    return "\n".join(parts)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    admin = pgcluster.start()
    name = f"bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    dsn = admin.rsplit("/", 1)[0] + f"/{name}"
    sql = schema_sql(args.tables)
    try:
        db = await asyncpg.connect(dsn)
        await db.execute(sql)
        sql_times, db_times, review_times = [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            parsed = load_model_from_sql(sql)
            sql_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            live = await load_model_from_connection(db, ["public"])
            db_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            report = review(live)
            review_times.append(time.perf_counter() - start)
        await db.close()
        same = [(f.rule, f.object) for f in review(parsed).findings] == [(f.rule, f.object) for f in report.findings]
        print(f"tables: {len(live.tables)}, statements: {sql.count(';')}, findings: {len(report.findings)}")
        print(f"load from SQL (pglast):       {statistics.median(sql_times) * 1000:8.1f} ms median")
        print(f"load from catalog (6 queries): {statistics.median(db_times) * 1000:8.1f} ms median")
        print(f"review, all rules:            {statistics.median(review_times) * 1000:8.1f} ms median")
        print(f"same findings from both sources: {same}")
    finally:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
