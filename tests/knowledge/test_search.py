"""Search, code examples, pages and sources on the fixture corpus, on both backends."""

from __future__ import annotations

import pytest

from pgsage.knowledge.engine import MAX_QUERY_CHARS, KnowledgeBase
from pgsage.tools.errors import InvalidInput, NotFound


@pytest.mark.parametrize(
    ("query", "page_id"),
    [
        ("jsonb_path_ops", "jsonb-gin-opclasses"),
        ("hnsw.ef_search", "hnsw-tuning"),
        ("<=> cosine distance", "hnsw-tuning"),
        ("upsert", "insert-on-conflict"),  # the page never says "upsert": a synonym finds it
        ("pg_stat_statements", "pg-stat-statements"),
        ("stat statements", "pg-stat-statements"),  # identifier parts
        ("->> extract text", "jsonb-operators"),
        ("dead tuples bloat", "autovacuum-tuning"),
        ("NOT VALID foreign key", "add-constraint-not-valid"),
    ],
)
async def test_ranks_the_page_about_it_first(kb: KnowledgeBase, query: str, page_id: str) -> None:
    result = await kb.search(query, match_count=3)
    assert result.results, query
    assert result.results[0].page_id == page_id
    top = result.results[0]
    assert top.url.startswith("https://")
    assert top.score > 0
    assert top.pg_versions == [13, 18]


async def test_identifier_query_prefers_its_section(kb: KnowledgeBase) -> None:
    sections = [hit.section for hit in (await kb.search("hnsw.ef_search", match_count=5)).results]
    assert sections[0] == "Query-time recall with hnsw.ef_search"


async def test_the_chunk_about_an_identifier_beats_short_sibling_chunks(kb: KnowledgeBase) -> None:
    top = (await kb.search("jsonb_path_ops", match_count=3)).results[0]
    assert (top.page_id, top.section) == ("jsonb-gin-opclasses", "jsonb_path_ops")


async def test_source_filter(kb: KnowledgeBase) -> None:
    result = await kb.search("jsonb containment @>", source_id="jsonb", match_count=10)
    assert {hit.source_id for hit in result.results} == {"jsonb"}
    unfiltered = await kb.search("jsonb containment @>", match_count=10)
    assert {hit.source_id for hit in unfiltered.results} >= {"jsonb", "indexing"}


async def test_pages_mode_returns_each_page_once(kb: KnowledgeBase) -> None:
    result = await kb.search("jsonb", match_count=5, return_mode="pages")
    ids = [hit.page_id for hit in result.results]
    assert len(ids) == len(set(ids)) >= 2
    chunks = await kb.search("jsonb", match_count=5)
    assert len({hit.page_id for hit in chunks.results}) < len(chunks.results)


async def test_pg_version_demotes_pages_that_do_not_apply(kb: KnowledgeBase) -> None:
    old = await kb.search("merge", pg_version=14, match_count=3)
    assert old.pg_version == 14
    assert old.results[0].page_id == "merge-before-15"
    assert old.results[0].applies is True
    assert next(hit.applies for hit in old.results if hit.page_id == "merge-statement") is False
    new = await kb.search("merge", pg_version=16, match_count=3)
    assert new.results[0].page_id == "merge-statement"
    assert (await kb.search("merge", pg_version=160004)).pg_version == 16  # server_version_num works too
    assert (await kb.search("merge")).results[0].applies is None


async def test_content_is_capped(kb: KnowledgeBase) -> None:
    for hit in (await kb.search("jsonb index operators", match_count=20)).results:
        assert len(hit.content) <= 1_300


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"query": ""}, InvalidInput, "empty"),
        ({"query": "   "}, InvalidInput, "empty"),
        ({"query": "x" * 10_000}, InvalidInput, f"{MAX_QUERY_CHARS:,}"),
        ({"query": "the of and"}, InvalidInput, "no searchable"),
        ({"query": "jsonb", "match_count": 0}, InvalidInput, "match_count"),
        ({"query": "jsonb", "match_count": 500}, InvalidInput, "match_count"),
        ({"query": "jsonb", "return_mode": "everything"}, InvalidInput, "return_mode"),
        ({"query": "jsonb", "pg_version": 3}, InvalidInput, "pg_version"),
        ({"query": "jsonb", "source_id": "nope"}, NotFound, "Available: indexing"),
    ],
)
async def test_bad_search_input_is_a_clear_error(
    kb: KnowledgeBase, kwargs: dict[str, object], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        await kb.search(**kwargs)  # type: ignore[arg-type]


async def test_code_examples_carry_language_summary_and_citation(kb: KnowledgeBase) -> None:
    result = await kb.search_code("jsonb_path_ops index", match_count=3)
    top = result.results[0]
    assert top.page_id == "jsonb-gin-opclasses"
    assert top.language == "sql"
    assert "jsonb_path_ops" in top.code
    assert top.summary == "Create a path-ops index for containment lookups"
    assert top.url == "https://www.postgresql.org/docs/current/datatype-json.html#JSON-INDEXING"
    merge = (await kb.search_code("merge when matched", source_id="postgresql")).results
    assert merge[0].page_id == "merge-statement"
    assert {hit.source_id for hit in merge} == {"postgresql"}
    with pytest.raises(NotFound):
        await kb.search_code("merge", source_id="missing")


async def test_sources_list_counts(kb: KnowledgeBase) -> None:
    sources = {s.source_id: s for s in (await kb.sources()).sources}
    assert set(sources) == {"postgresql", "indexing", "pgvector", "performance", "jsonb", "operations", "migrations"}
    core = sources["postgresql"]
    assert core.pages == 3
    assert core.words > 100
    assert core.pg_versions == [13, 18]
    assert core.origin == "shipped"
    assert core.url == "https://www.postgresql.org/docs/current/"


async def test_list_pages_and_section_filter(kb: KnowledgeBase) -> None:
    listed = await kb.list_pages("postgresql")
    assert [p.page_id for p in listed.pages] == ["insert-on-conflict", "merge-before-15", "merge-statement"]
    assert listed.pages[2].pg_versions == [15, 18]
    by_heading = await kb.list_pages("postgresql", section="do nothing")
    assert [p.page_id for p in by_heading.pages] == ["insert-on-conflict"]
    with pytest.raises(NotFound):
        await kb.list_pages("missing")
    with pytest.raises(InvalidInput):
        await kb.list_pages("")


async def test_read_full_page_by_id_and_url(kb: KnowledgeBase) -> None:
    page = await kb.read_page(page_id="hnsw-tuning")
    assert page.title == "Tuning HNSW indexes in pgvector"
    assert "hnsw.ef_search" in page.content
    assert page.tags == ["hnsw", "vector", "recall"]
    by_url = await kb.read_page(url="https://www.postgresql.org/docs/current/sql-merge.html")
    assert by_url.page_id == "merge-statement"
    with pytest.raises(NotFound, match="nope"):
        await kb.read_page(page_id="nope")
    with pytest.raises(NotFound):
        await kb.read_page(url="https://example.invalid/")
    with pytest.raises(InvalidInput):
        await kb.read_page()
