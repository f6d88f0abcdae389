"""pgsage's index advisor against the DTA of Postgres MCP Pro (crystaldba) on the same workload.

    python bench/bench_index_advisor.py [--rows 200000]

Builds a RAG/chat workload database on the PostgreSQL 15 test cluster (tests/pgcluster.py), runs
Postgres MCP Pro's DatabaseTuningAdvisor (installed from PyPI into a private venv under the cache dir, as
`iflow-mcp-crystaldba-postgres-mcp`, a republish of crystaldba/postgres-mcp) and pgsage's
recommend_indexes with no more indexes than DTA chose, then scores both index sets with one evaluator:
the planner's total cost of the workload under HypoPG hypothetical indexes. Prints both and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import venv
from pathlib import Path

import asyncpg
import platformdirs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import pgcluster

from pgsage.tools.advisor import recommend_indexes
from pgsage.tools.database import Database, DatabaseSettings

DB = "bench_advisor"
PEER_PACKAGES = [
    "iflow-mcp-crystaldba-postgres-mcp==0.3.0",
    "pglast==7.22",  # the peer pins 7.11, which the registry no longer serves; 7.22 is API-compatible
    "psycopg[binary]",
    "psycopg-pool",
    "attrs",
    "humanize",
    "instructor",
    "mcp<2",
]

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS hypopg;
CREATE TABLE projects (id bigint PRIMARY KEY, name text NOT NULL, tier text NOT NULL);
CREATE TABLE documents (
    id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects (id), title text NOT NULL,
    status text NOT NULL, lang text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
);
CREATE TABLE sessions (
    id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects (id), user_id bigint NOT NULL,
    status text NOT NULL, updated_at timestamptz NOT NULL
);
CREATE TABLE messages (
    id bigint PRIMARY KEY, session_id bigint NOT NULL REFERENCES sessions (id), role text NOT NULL,
    token_count int NOT NULL, created_at timestamptz NOT NULL
);
INSERT INTO projects SELECT g, 'p' || g, (ARRAY['free', 'pro', 'team'])[1 + g % 3] FROM generate_series(1, 500) g;
INSERT INTO documents
SELECT g, 1 + g % 500, 'doc ' || g, (ARRAY['draft', 'published', 'archived'])[1 + g % 3],
       (ARRAY['en', 'de', 'fr', 'es'])[1 + g % 4], now() - g * interval '1 minute', now() - g * interval '30 seconds'
FROM generate_series(1, {rows}) g;
INSERT INTO sessions
SELECT g, 1 + g % 500, g % 20000, (ARRAY['active', 'archived', 'expired'])[1 + g % 3], now() - g * interval '10 seconds'
FROM generate_series(1, {rows}) g;
INSERT INTO messages
SELECT g, 1 + g % {rows}, (ARRAY['user', 'assistant'])[1 + g % 2], 10 + g % 500, now() - g * interval '1 second'
FROM generate_series(1, {rows} * 2) g;
ANALYZE;
"""

WORKLOAD = [
    "SELECT id, title FROM documents WHERE project_id = 42 AND status = 'published' ORDER BY updated_at DESC LIMIT 20",
    "SELECT count(*) FROM documents WHERE project_id = 7 AND created_at > now() - interval '2 days'",
    "SELECT id FROM documents WHERE lang = 'de' AND status = 'draft' AND project_id = 3",
    "SELECT id, updated_at FROM sessions WHERE user_id = 1234 ORDER BY updated_at DESC LIMIT 10",
    "SELECT id FROM sessions WHERE project_id = 12 AND status = 'active' ORDER BY updated_at DESC LIMIT 50",
    "SELECT role, token_count FROM messages WHERE session_id = 777 ORDER BY created_at",
    "SELECT sum(token_count) FROM messages WHERE session_id = 4242 AND created_at > now() - interval '1 hour'",
    "SELECT m.id FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.user_id = 99 "
    "ORDER BY m.created_at DESC LIMIT 20",
    "SELECT d.id FROM documents d JOIN projects p ON p.id = d.project_id WHERE p.tier = 'team' "
    "AND d.status = 'published' AND d.updated_at > now() - interval '1 day'",
    "SELECT id FROM messages WHERE created_at BETWEEN now() - interval '10 minutes' AND now()",
]

PEER_DRIVER = r"""
import asyncio, json, sys, time
from postgres_mcp.sql.sql_driver import SqlDriver
from postgres_mcp.index.dta_calc import DatabaseTuningAdvisor
async def main():
    spec = json.load(sys.stdin)
    dta = DatabaseTuningAdvisor(SqlDriver(engine_url=spec["dsn"]), budget_mb=-1, max_runtime_seconds=120)
    started = time.perf_counter()
    res = await dta.analyze_workload(query_list=spec["queries"])
    print(json.dumps({"error": res.error, "seconds": time.perf_counter() - started,
                      "indexes": [r.definition for r in res.recommendations]}))
asyncio.run(main())
"""


def peer_python() -> Path | None:
    home = Path(platformdirs.user_cache_dir("pgsage")) / "bench-peers" / "postgres-mcp-pro"
    python = home / "bin" / "python"
    marker = home / ".installed"
    if not marker.exists():
        print("installing the peer (Postgres MCP Pro) into", home, "...", flush=True)
        venv.create(home, with_pip=True, clear=True)
        steps = [
            [str(python), "-m", "pip", "install", "-q", "--no-deps", PEER_PACKAGES[0]],
            [str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES[1:]],
        ]
        for step in steps:
            if subprocess.run(step, capture_output=True, text=True).returncode != 0:
                return None
        marker.touch()
    return python


async def prepare(admin: str, rows: int) -> str:
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {DB}")
    finally:
        await conn.close()
    dsn = admin.rsplit("/", 1)[0] + f"/{DB}"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(SCHEMA.replace("{rows}", str(rows)))
    finally:
        await conn.close()
    return dsn


async def workload_cost(dsn: str, definitions: list[str]) -> float:
    """The one evaluator for both: summed planner cost of the workload under these hypothetical indexes."""
    conn = await asyncpg.connect(dsn)
    try:
        for definition in definitions:
            plain = definition.replace(" CONCURRENTLY", "")
            await conn.fetchval("SELECT indexrelid FROM hypopg_create_index($1)", plain)
        total = 0.0
        for query in WORKLOAD:
            plan = json.loads(await conn.fetchval(f"EXPLAIN (FORMAT JSON) {query}"))
            total += plan[0]["Plan"]["Total Cost"]
        await conn.execute("SELECT hypopg_reset()")
        return total
    finally:
        await conn.close()


async def main(rows: int) -> None:
    admin = pgcluster.start()
    dsn = await prepare(admin, rows)
    baseline = await workload_cost(dsn, [])
    print(f"workload: {len(WORKLOAD)} queries on {rows:,} documents/sessions, {2 * rows:,} messages")
    print(f"no new indexes:            total cost {baseline:12.1f}")

    python = peer_python()
    peer: dict | None = None
    if python is None:
        print("peer: could not install Postgres MCP Pro from PyPI; comparing against nothing")
    else:
        proc = subprocess.run(
            [str(python), "-c", PEER_DRIVER],
            input=json.dumps({"dsn": dsn, "queries": WORKLOAD}),
            capture_output=True,
            text=True,
            timeout=600,
        )
        peer = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 else None
        if peer is None:
            print("peer failed:", proc.stderr[-2000:])
    budget = len(peer["indexes"]) if peer and peer["indexes"] else 5

    db = Database(DatabaseSettings(dsn=dsn))
    started = time.perf_counter()
    advice = await recommend_indexes(db, queries=WORKLOAD, from_pg_stat_statements=False, max_indexes=budget)
    ours_seconds = time.perf_counter() - started
    await db.close()
    ours = [r.statement for r in advice.recommendations if r.measured]
    ours_cost = await workload_cost(dsn, ours)
    print(f"pgsage recommend_indexes:  total cost {ours_cost:12.1f} with {len(ours)} indexes ({ours_seconds:.1f} s)")
    for statement in ours:
        print("   ", statement)
    if peer:
        peer_cost = await workload_cost(dsn, peer["indexes"])
        print(
            f"Postgres MCP Pro DTA:      total cost {peer_cost:12.1f} with {len(peer['indexes'])} indexes "
            f"({peer['seconds']:.1f} s)"
        )
        for statement in peer["indexes"]:
            print("   ", statement)
        print(
            f"ratio pgsage/DTA total cost: {ours_cost / peer_cost:.3f} "
            f"({'lower' if ours_cost < peer_cost else 'NOT lower'}; indexes {len(ours)} vs {len(peer['indexes'])})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    asyncio.run(main(parser.parse_args().rows))
