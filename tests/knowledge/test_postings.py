"""The embedded store ranks with BM25F posting blobs instead of FTS5's bm25(): same ranking, faster."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgsage.knowledge.engine import KnowledgeBase
from pgsage.knowledge.postings import build_postings, doc_table, top_scores
from pgsage.knowledge.records import make_query

from .conftest import FIXTURE_PAGES  # type: ignore[import-not-found]

QUERIES = ["jsonb_path_ops", "upsert", "hnsw.ef_search recall", "merge when matched", "@> containment",
           "slow queries statements", "lock constraint foreign key", "vacuum dead tuples", "index"]


@pytest.mark.parametrize("query", QUERIES)
async def test_same_ranking_as_fts5_bm25(tmp_path: Path, query: str) -> None:
    kb = await KnowledgeBase(data_dir=tmp_path, pages_dir=FIXTURE_PAGES).ready()
    try:
        q = make_query(query)
        ours = kb.store._ranked("chunks", q, None, 50)
        fts5 = kb.store.fts5_bm25(q, 50)
    finally:
        await kb.aclose()
    assert ours
    assert {rowid for rowid, _ in ours} == {rowid for rowid, _ in fts5}
    for (_, a), (_, b) in zip(ours, fts5, strict=True):
        assert a == pytest.approx(b, rel=1e-4)


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
    ranked = top_scores(table, query, 3)
    assert ranked[0][0] == 10  # the rare term in the title wins
    assert [rowid for rowid, _ in top_scores(table, query, 3, source="b")] == [12, 11]
    assert top_scores(table, query, 3, source="missing") == []
