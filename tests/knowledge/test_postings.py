"""The embedded store ranks with BM25F posting blobs instead of FTS5's bm25(): same ranking, faster."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgsage.knowledge.engine import KnowledgeBase
from pgsage.knowledge.postings import build_postings, doc_table, top_scores
from pgsage.knowledge.records import make_query
from pgsage.knowledge.store_sqlite import CHUNK_WEIGHTS

from .conftest import FIXTURE_PAGES  # type: ignore[import-not-found]

QUERIES = ["jsonb_path_ops", "upsert", "hnsw.ef_search recall", "merge when matched", "@> containment",
           "slow queries statements", "lock constraint foreign key", "vacuum dead tuples", "index"]


@pytest.mark.parametrize("query", QUERIES)
async def test_same_scores_as_fts5_bm25(tmp_path: Path, query: str) -> None:
    """Postings over all five columns with FTS5's weights reproduce FTS5's own bm25() exactly."""
    kb = await KnowledgeBase(data_dir=tmp_path, pages_dir=FIXTURE_PAGES).ready()
    try:
        q = make_query(query)
        rows = kb.store._reader().execute(
            "SELECT f.rowid, c.source_id, f.title, f.tags, f.heading, f.body, f.parts "
            "FROM chunks_fts f JOIN chunks c ON c.id = f.rowid ORDER BY f.rowid"
        )
        rowids, lengths, sources, packed = build_postings(((r[0], r[1], r[2:]) for r in rows), CHUNK_WEIGHTS)
        table = doc_table(rowids.tobytes(), lengths.tobytes(), sources)
        postings = [(1.0, *packed[t]) for t in q.all_terms if t in packed]
        ours = top_scores([(table, postings)], 50)
        fts5 = kb.store.fts5_bm25(q, 50)
    finally:
        await kb.aclose()
    assert ours
    assert {rowid for rowid, _ in ours} == {rowid for rowid, _ in fts5}
    for (_, a), (_, b) in zip(ours, fts5, strict=True):
        assert a == pytest.approx(b, rel=1e-4)


async def test_the_chunk_about_the_query_beats_short_sibling_chunks(tmp_path: Path) -> None:
    """Title and tags are scored once per page, so inside a page the chunk's own text decides."""
    kb = await KnowledgeBase(data_dir=tmp_path, pages_dir=FIXTURE_PAGES).ready()
    try:
        top = (await kb.search("jsonb_path_ops", match_count=3)).results
    finally:
        await kb.aclose()
    assert (top[0].page_id, top[0].section) == ("jsonb-gin-opclasses", "jsonb_path_ops")


def test_top_scores_weights_rare_terms_and_filters_sources() -> None:
    docs = [
        (10, "a", ["rare common", "common common"]),
        (11, "b", ["common", "common common common"]),
        (12, "b", ["", "rare"]),
        (13, "c", ["x", "common y"]),
        (14, "c", ["x", "common z"]),
        (15, "c", ["y", "z"]),
        (16, "c", ["x", "x"]),
    ]
    rowids, lengths, sources, packed = build_postings(docs, (5.0, 1.0))
    table = doc_table(rowids.tobytes(), lengths.tobytes(), sources)
    query = [(1.0, *packed["rare"]), (1.0, *packed["common"])]
    ranked = top_scores([(table, query)], 3)
    assert ranked[0][0] == 10  # the rare term in the title wins
    assert [rowid for rowid, _ in top_scores([(table, query)], 3, source="b")] == [12, 11]
    assert top_scores([(table, query)], 3, source="missing") == []
