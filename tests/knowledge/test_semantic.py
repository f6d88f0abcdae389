"""Optional semantic search against a real (local) OpenAI-compatible embeddings endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from pgsage.knowledge.engine import KnowledgeBase
from pgsage.knowledge.vectors import Embedder, rrf, top_k

from .conftest import FIXTURE_PAGES, LocalServer  # type: ignore[import-not-found]


@pytest.fixture(params=["sqlite", "postgresql18"])
def semantic_backend(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.param == "sqlite":
        return {}
    make_db18: Callable[..., str] = request.getfixturevalue("make_db18")
    return {"dsn": make_db18()}


@pytest.fixture
async def semantic_kb(
    semantic_backend: dict[str, Any], embeddings_server: LocalServer, tmp_path: Path
) -> AsyncIterator[KnowledgeBase]:
    embedder = Embedder(embeddings_server.url, "hash-64", key="sk-test")
    kb = KnowledgeBase(data_dir=tmp_path, pages_dir=FIXTURE_PAGES, embedder=embedder, **semantic_backend)
    await kb.ready()
    try:
        yield kb
    finally:
        await kb.aclose()


async def test_chunks_are_embedded_at_build_and_queries_fused(
    semantic_kb: KnowledgeBase, embeddings_server: LocalServer
) -> None:
    build = embeddings_server.requests[0]
    assert build["path"] == "/v1/embeddings"
    assert build["model"] == "hash-64"
    assert build["auth"] == "Bearer sk-test"
    embedded = sum(len(r["input"]) for r in embeddings_server.requests)
    assert embedded == await semantic_kb.store.count_chunks()

    result = await semantic_kb.search("jsonb_path_ops containment index", match_count=3)
    assert result.semantic is True
    assert result.results[0].page_id == "jsonb-gin-opclasses"
    assert embeddings_server.requests[-1]["input"] == ["jsonb_path_ops containment index"]


async def test_ingested_docs_are_embedded(
    semantic_kb: KnowledgeBase, embeddings_server: LocalServer, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# Snorkel service\n\nThe snorkel service writes to the lagoon table.\n")
    before = len(embeddings_server.requests)
    await semantic_kb.add_source(str(docs), source_id="team")
    assert len(embeddings_server.requests) == before + 1
    hit = (await semantic_kb.search("snorkel lagoon")).results[0]
    assert hit.source_id == "team"


async def test_vectors_are_stored_in_pgvector(
    make_db18: Callable[..., str], embeddings_server: LocalServer, tmp_path: Path
) -> None:
    dsn = make_db18()
    kb = KnowledgeBase(data_dir=tmp_path, pages_dir=FIXTURE_PAGES, dsn=dsn,
                       embedder=Embedder(embeddings_server.url + "/embeddings", "hash-64"))
    await kb.ready()
    await kb.aclose()
    conn = await asyncpg.connect(dsn)
    try:
        stored = await conn.fetchval(
            "SELECT count(*) FROM pgsage_knowledge.chunks WHERE vector_dims(embedding) = 64")
        total = await conn.fetchval("SELECT count(*) FROM pgsage_knowledge.chunks")
    finally:
        await conn.close()
    assert stored == total > 0


async def test_search_falls_back_to_lexical_when_the_endpoint_is_down(
    embeddings_server: LocalServer, closed_port_url: str, tmp_path: Path
) -> None:
    kb = KnowledgeBase(data_dir=tmp_path, pages_dir=FIXTURE_PAGES,
                       embedder=Embedder(embeddings_server.url, "hash-64"))
    await kb.ready()
    assert kb.embedder is not None
    kb.embedder.url = closed_port_url + "embeddings"  # the endpoint goes away after the build
    try:
        result = await kb.search("hnsw.ef_search")
        assert result.semantic is False
        assert result.results[0].page_id == "hnsw-tuning"
    finally:
        await kb.aclose()


def test_rrf_and_top_k() -> None:
    fused = rrf(["a", "b", "c"], ["c", "a"])
    assert sorted(fused, key=lambda k: -fused[k]) == ["a", "c", "b"]
    best = top_k([1.0, 0.0], [[0.0, 1.0], [1.0, 0.1], [0.5, 0.5], [1.0]], [1, 2, 3, 4], 2)
    assert [chunk_id for chunk_id, _ in best] == [2, 3]
