"""The rag_* tools through a real MCP client: names, annotations, short descriptions, results, errors,
progress notifications, and the live database's version as the default pg_version."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import mcp
import pytest

from pgsage.knowledge.engine import KnowledgeBase
from pgsage.server.app import build_server
from pgsage.server.config import Config
from pgsage.server.state import AppState

from .conftest import FIXTURE_PAGES  # type: ignore[import-not-found]

RAG_TOOLS = {
    "rag_get_available_sources",
    "rag_search_knowledge_base",
    "rag_search_code_examples",
    "rag_list_pages_for_source",
    "rag_read_full_page",
    "rag_add_source",
}


def _state(tmp_path: Path, **settings: Any) -> AppState:
    state = AppState.create(Config.load({"data_dir": str(tmp_path), **settings}, env={}))
    state.knowledge = KnowledgeBase(data_dir=tmp_path, pages_dir=FIXTURE_PAGES,
                                    allow_ingest=state.config.allow_ingest)
    return state


@asynccontextmanager
async def _connected(tmp_path: Path) -> AsyncIterator[mcp.Client]:
    # A context manager, not a fixture: the client's task group must open and close in the test's task.
    state = _state(tmp_path)
    try:
        async with mcp.Client(build_server(state.config, state)) as connected:
            yield connected
    finally:
        await state.aclose()


async def _ok(client: mcp.Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def _error(client: mcp.Client, tool: str, args: dict[str, Any]) -> str:
    result = await client.call_tool(tool, args)
    assert result.is_error
    return " ".join(getattr(c, "text", "") for c in result.content)


async def test_tools_are_listed_with_short_descriptions_and_truthful_annotations(tmp_path: Path) -> None:
    async with _connected(tmp_path) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools if tool.name.startswith("rag_")}
        assert set(tools) == RAG_TOOLS
        for tool in tools.values():
            assert tool.description and len(tool.description) < 320, (tool.name, len(tool.description or ""))
        for name in RAG_TOOLS - {"rag_add_source"}:
            assert tools[name].annotations.read_only_hint is True
        add = tools["rag_add_source"].annotations
        assert add.read_only_hint is False
        assert add.destructive_hint is True  # re-ingesting replaces that source's pages
        params = tools["rag_search_knowledge_base"].input_schema["properties"]
        assert set(params) == {"query", "source_id", "match_count", "return_mode", "pg_version"}


async def test_search_read_and_list_through_mcp(tmp_path: Path) -> None:
    async with _connected(tmp_path) as client:
        found = await _ok(client, "rag_search_knowledge_base", {"query": "jsonb_path_ops", "match_count": 2})
        top = found["results"][0]
        assert top["page_id"] == "jsonb-gin-opclasses"
        assert top["url"] == "https://www.postgresql.org/docs/current/datatype-json.html#JSON-INDEXING"
        assert found["pg_version"] is None  # no database configured
        page = await _ok(client, "rag_read_full_page", {"page_id": top["page_id"]})
        assert "jsonb_path_ops" in page["content"]
        code = await _ok(client, "rag_search_code_examples", {"query": "ON CONFLICT DO UPDATE"})
        assert code["results"][0]["page_id"] == "insert-on-conflict"
        sources = await _ok(client, "rag_get_available_sources", {})
        assert len(sources["sources"]) == 7
        listed = await _ok(client, "rag_list_pages_for_source", {"source_id": "pgvector"})
        assert [p["page_id"] for p in listed["pages"]] == ["hnsw-tuning"]


@pytest.mark.parametrize(
    ("tool", "args", "words"),
    [
        ("rag_search_knowledge_base", {"query": ""}, "empty"),
        ("rag_search_knowledge_base", {"query": "y" * 10_000}, "limit is 1,000"),
        ("rag_search_knowledge_base", {"query": "gin", "source_id": "nope"}, "Unknown source_id"),
        ("rag_read_full_page", {"page_id": "no-such-page"}, "No page"),
        ("rag_list_pages_for_source", {"source_id": "nope"}, "Unknown source_id"),
        ("rag_add_source", {"location": "/definitely/not/here"}, "No file or folder"),
    ],
)
async def test_bad_input_is_a_tool_error_and_the_server_keeps_running(
    tmp_path: Path, tool: str, args: dict[str, Any], words: str
) -> None:
    async with _connected(tmp_path) as client:
        assert words in await _error(client, tool, args)
        assert (await _ok(client, "rag_search_knowledge_base", {"query": "merge"}))["results"]


async def test_add_source_reports_progress(tmp_path: Path) -> None:
    async with _connected(tmp_path) as client:
        docs = tmp_path / "docs"
        docs.mkdir()
        for n in range(3):
            (docs / f"page{n}.md").write_text(f"# Page {n}\n\nThe wibble{n} subsystem.\n", encoding="utf-8")
        updates: list[tuple[float, float | None, str | None]] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            updates.append((progress, total, message))

        result = await client.call_tool("rag_add_source", {"location": str(docs), "source_id": "team"},
                                        progress_callback=on_progress)
        assert not result.is_error, result.content
        assert result.structured_content["pages"] == 3
        assert [u[0] for u in updates] == [1, 2, 3]
        assert {u[1] for u in updates} == {3}
        hit = (await _ok(client, "rag_search_knowledge_base", {"query": "wibble2"}))["results"][0]
        assert hit["source_id"] == "team"


async def test_ingest_can_be_disabled(tmp_path: Path) -> None:
    state = _state(tmp_path, allow_ingest=False)
    try:
        async with mcp.Client(build_server(state.config, state)) as client:
            assert "disabled" in await _error(client, "rag_add_source", {"location": str(tmp_path)})
    finally:
        await state.aclose()


async def test_live_database_version_is_the_default(make_db: Callable[..., str], tmp_path: Path) -> None:
    state = _state(tmp_path, dsn=make_db())
    try:
        async with mcp.Client(build_server(state.config, state)) as client:
            found = await _ok(client, "rag_search_knowledge_base", {"query": "merge"})
            assert found["pg_version"] == 15
            assert found["results"][0]["page_id"] == "merge-statement"
            older = await _ok(client, "rag_search_knowledge_base", {"query": "merge", "pg_version": 14})
            assert older["results"][0]["page_id"] == "merge-before-15"
    finally:
        await state.aclose()


async def test_search_works_with_the_database_down(tmp_path: Path) -> None:
    state = _state(tmp_path, dsn="postgresql://app:pw@127.0.0.1:9/nodb")
    try:
        async with mcp.Client(build_server(state.config, state)) as client:
            for _ in range(2):
                found = await _ok(client, "rag_search_knowledge_base", {"query": "hnsw.ef_search"})
                assert found["pg_version"] is None
                assert found["results"][0]["page_id"] == "hnsw-tuning"
    finally:
        await state.aclose()


async def test_shipped_corpus_is_searchable_out_of_the_box(tmp_path: Path) -> None:
    """The default server (no corpus parameter) indexes the shipped pages on first use."""
    server = build_server(Config.load({"data_dir": str(tmp_path)}, env={}))
    async with mcp.Client(server) as client, mcp.Client(server) as second:
        sources = (await _ok(client, "rag_get_available_sources", {}))["sources"]
        assert sources and sum(s["pages"] for s in sources) > 0
        page_source = next(s for s in sources if s["pages"])
        listed = await _ok(second, "rag_list_pages_for_source", {"source_id": page_source["source_id"]})
        page = await _ok(second, "rag_read_full_page", {"page_id": listed["pages"][0]["page_id"]})
        assert page["content"]
        found = await _ok(client, "rag_search_knowledge_base", {"query": page["title"]})
        assert page["page_id"] in {hit["page_id"] for hit in found["results"]}
        assert all(hit["url"] for hit in found["results"])
    assert (tmp_path / "knowledge" / "index.sqlite3").is_file()
