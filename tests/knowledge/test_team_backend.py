"""The team backend: several pgsage instances share one PostgreSQL knowledge store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import asyncpg
import mcp

from pgsage.knowledge.engine import KnowledgeBase
from pgsage.server.app import build_server
from pgsage.server.config import Config

from .conftest import FIXTURE_PAGES  # type: ignore[import-not-found]


async def test_instances_share_ingested_sources(make_db: Callable[..., str], tmp_path: Path) -> None:
    dsn = make_db()
    first = await KnowledgeBase(data_dir=tmp_path / "a", pages_dir=FIXTURE_PAGES, dsn=dsn).ready()
    second = await KnowledgeBase(data_dir=tmp_path / "b", pages_dir=FIXTURE_PAGES, dsn=dsn).ready()
    try:
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / "oncall.md").write_text("# On-call\n\nPage the snickerdoodle rota.\n", encoding="utf-8")
        await first.add_source(str(docs), source_id="oncall")
        hit = (await second.search("snickerdoodle rota")).results[0]
        assert (hit.source_id, hit.title) == ("oncall", "On-call")
        assert backend_files(tmp_path) == []  # nothing was written locally
    finally:
        await first.aclose()
        await second.aclose()


def backend_files(root: Path) -> list[Path]:
    """Local index files: a PostgreSQL-backed instance must create none."""
    return list(root.rglob("*.sqlite3"))


async def test_server_uses_the_knowledge_dsn(make_db: Callable[..., str], tmp_path: Path) -> None:
    """PGSAGE_KNOWLEDGE_DSN switches the server to the shared store (here with the shipped corpus)."""
    dsn = make_db()
    config = Config.load({"data_dir": str(tmp_path)}, env={"PGSAGE_KNOWLEDGE_DSN": dsn})
    async with mcp.Client(build_server(config)) as client:
        result = await client.call_tool("rag_get_available_sources", {})
        assert not result.is_error, result.content
        assert sum(s["pages"] for s in result.structured_content["sources"]) > 0
    assert backend_files(tmp_path) == []
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM pgsage_knowledge.pages") > 0
    finally:
        await conn.close()
