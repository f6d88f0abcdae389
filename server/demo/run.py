"""The demo: sandbox up, sample schema and workload in, then the real server driven over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import asyncpg
from mcp import Client, StdioServerParameters

from pgsage.tools.sandbox import Sandbox, start_sandbox

from .render import render

__all__ = ["DemoStep", "run_demo"]

DEMO_DB = "pgsage_demo"
_WIDTH = 100

RISKY_MIGRATION = """\
ALTER TABLE chat_messages ADD COLUMN project_id uuid NOT NULL;
CREATE INDEX chat_messages_session_id_idx ON chat_messages (session_id);
ALTER TABLE documents ALTER COLUMN project_id SET NOT NULL;
ALTER TABLE documents ADD CONSTRAINT documents_project_fk
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE;
"""


def _sql(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def workload() -> list[str]:
    return [q.strip() for q in _sql("workload.sql").split("\n\n") if q.strip() and not q.startswith("--")]


@dataclass
class DemoStep:
    family: str
    tool: str
    arguments: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def steps() -> list[DemoStep]:
    queries = workload()
    return [
        DemoStep("status", "server_status", note="what pgsage is connected to"),
        DemoStep("knowledge", "rag_get_available_sources", note="the shipped, cited knowledge base"),
        DemoStep(
            "knowledge",
            "rag_search_knowledge_base",
            {"query": "HNSW index for cosine distance on embeddings", "match_count": 3},
        ),
        DemoStep("knowledge", "rag_search_code_examples", {"query": "skip locked queue", "match_count": 2}),
        DemoStep("schema", "db_overview"),
        DemoStep("schema", "list_objects", {"schema": "public", "kind": "table"}),
        DemoStep("schema", "describe_object", {"name": "chunks"}),
        DemoStep("sql", "execute_sql", {"sql": "SELECT role, count(*) FROM chat_messages GROUP BY role"}),
        DemoStep("sql", "execute_sql", {"sql": "SELECT 1; DROP TABLE chunks"}, note="the guard at work"),
        DemoStep("sql", "explain_query", {"sql": queries[2], "analyze": True}, note="a real plan, rolled back"),
        DemoStep("health", "health_check"),
        DemoStep("health", "activity"),
        DemoStep("advisor", "review_schema", {"schema": "public", "queries": queries}),
        DemoStep("advisor", "recommend_indexes", {"queries": queries, "from_pg_stat_statements": False}),
        DemoStep("advisor", "lint_migration", {"sql": RISKY_MIGRATION}),
        DemoStep("advisor", "dry_run_migration", {"sql": RISKY_MIGRATION}),
        DemoStep(
            "advisor",
            "plan_changes",
            {
                "feature": "per-user chat history search with embeddings",
                "tables": ["chat_sessions", "chat_messages"],
            },
        ),
    ]


async def prepare_database(sandbox: Sandbox) -> str:
    admin = await asyncpg.connect(sandbox.dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {DEMO_DB} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DEMO_DB}")
    finally:
        await admin.close()
    dsn = sandbox.database_dsn(DEMO_DB)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(_sql("schema.sql"))
        await conn.execute(_sql("data.sql"))
        for query in workload():
            for _ in range(3):
                await conn.fetch(query)
    finally:
        await conn.close()
    return dsn


async def drive(dsn: str, data_dir: Path, out: Callable[[str], None]) -> int:
    env = {**os.environ, "PGSAGE_DATABASE_URL": dsn, "PGSAGE_DATA_DIR": str(data_dir)}
    params = StdioServerParameters(command=sys.executable, args=["-m", "pgsage.server", "serve"], env=env)
    failures = 0
    async with Client(params, read_timeout_seconds=120) as client:
        listed = (await client.list_tools()).tools
        available = {tool.name for tool in listed}
        size = len(json.dumps([t.model_dump(mode="json", exclude_none=True) for t in listed]))
        out(f"server: {len(available)} tools, tools/list ~{size // 4} tokens")
        family = ""
        for step in steps():
            if step.tool not in available:
                continue
            if step.family != family:
                family = step.family
                out("")
                out(f"== {family} " + "=" * (_WIDTH - len(family) - 4))
            started = time.perf_counter()
            result = await client.call_tool(step.tool, step.arguments)
            elapsed = (time.perf_counter() - started) * 1000
            head = f"-> {step.tool}" + (f"  ({step.note})" if step.note else "") + f"  [{elapsed:.0f} ms]"
            out(head)
            if result.is_error:
                text = " ".join(c.text for c in result.content if hasattr(c, "text"))
                out(f"   error (the agent reads this and adapts): {text[:300]}")
                if step.note != "the guard at work":
                    failures += 1
                continue
            for line in render(step.tool, result.structured_content or {}):
                out("   " + line)
    return failures


async def run_demo(data_dir: Path, out: Callable[[str], None] = print) -> int:
    started = time.perf_counter()
    out("pgsage demo: starting the embedded PostgreSQL 18 + pgvector sandbox...")
    sandbox = start_sandbox(data_dir, name="demo18")
    try:
        dsn = await prepare_database(sandbox)
        loaded = time.perf_counter() - started
        out(f"loaded sample RAG + chat schema with flaws and a small workload ({loaded:.1f} s)")
        failures = await drive(dsn, data_dir, out)
    finally:
        sandbox.stop()
    out("")
    out(
        f"demo finished in {time.perf_counter() - started:.1f} s" + (f", {failures} step(s) failed" if failures else "")
    )
    return 1 if failures else 0


def main(data_dir: Path) -> int:
    return asyncio.run(run_demo(data_dir))
