"""The tokenizer keeps PostgreSQL identifiers and operators whole, and maps synonyms."""

from __future__ import annotations

import pytest

from pgsage.knowledge.records import make_query
from pgsage.knowledge.text import expand_synonyms, operator_term, stem, terms


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("CREATE INDEX ... USING gin (doc jsonb_path_ops)", "jsonb_path_ops"),
        ("SET hnsw.ef_search = 100", "hnsw_ef_search"),
        ("select * from pg_stat_statements", "pg_stat_statements"),
        ("ORDER BY embedding <=> $1", "op_lt_eq_gt"),
        ("ORDER BY embedding <-> $1", "op_lt_minus_gt"),
        ("ORDER BY embedding <#> $1", "op_lt_hash_gt"),
        ("WHERE doc @> '{}'", "op_at_gt"),
        ("WHERE '{}' <@ doc", "op_lt_at"),
        ("WHERE doc ?| array['a']", "op_q_bar"),
        ("SELECT doc ->> 'name'", "op_minus_gt_gt"),
        ("INSERT ... ON CONFLICT DO NOTHING", "on_conflict"),
        ("row-level security", "row_level_security"),
    ],
)
def test_identifiers_operators_and_phrases_stay_whole(text: str, term: str) -> None:
    assert term in terms(text).main


def test_identifier_parts_go_to_their_own_stream() -> None:
    found = terms("pg_stat_statements")
    assert found.main == ["pg_stat_statements"]
    assert found.parts == ["pg", "stat", "statement"]


def test_markdown_punctuation_is_not_an_operator() -> None:
    assert terms("| --- | *** | ## |").main == []
    assert operator_term("--") is None
    assert operator_term("||") == "op_bar_bar"


def test_stop_words_dropped_and_words_stemmed() -> None:
    assert terms("How do the indexes work").main == ["index", "work"]
    assert stem("queries") == stem("query")
    assert stem("indexing") == stem("indexes") == "index"


def test_synonyms_expand_both_ways() -> None:
    assert "on_conflict" in expand_synonyms(["upsert"])
    assert "upsert" in expand_synonyms(["on_conflict"])
    assert "vector" in make_query("embeddings").main
    assert make_query("embeddings").main[0] == stem("embedding")  # the user's own word comes first
