"""The team store: the same data in PostgreSQL (schema `pgsage_knowledge`), so several pgsage
instances share one knowledge base. Ranking uses a tsvector built from knowledge/text.py terms (so
identifiers and operators stay whole, exactly as in SQLite) and ts_rank with field weights; with
embeddings configured and pgvector available, chunks also carry a `vector` column.

Refreshes take a transaction-level advisory lock, so instances starting together do the work once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import Any

import asyncpg

from pgsage.tools.database import Database, DatabaseSettings

from .corpus import Source
from .records import PageRecord, Query, chunk_fields, example_fields

__all__ = ["SCHEMA_VERSION", "PgStore", "tsvector_literal"]

SCHEMA_VERSION = "2"
_LOCK_KEY = 0x70677361  # "pgsa": pg_advisory_xact_lock key of knowledge refreshes
# ts_rank weights, in the order {D, C, B, A}: parts, body, tags+heading, title.
_WEIGHTS = [0.08, 0.2, 0.5, 1.0]
_MAX_POSITIONS = 200  # per lexeme; PostgreSQL keeps at most 256

_SCHEMA = """
CREATE SCHEMA IF NOT EXISTS pgsage_knowledge;
CREATE TABLE IF NOT EXISTS pgsage_knowledge.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS pgsage_knowledge.sources (
    source_id text PRIMARY KEY, title text NOT NULL, summary text NOT NULL, url text NOT NULL,
    origin text NOT NULL);
CREATE TABLE IF NOT EXISTS pgsage_knowledge.pages (
    page_id text PRIMARY KEY, source_id text NOT NULL, title text NOT NULL, url text NOT NULL,
    urls jsonb NOT NULL, v_first int NOT NULL, v_last int NOT NULL, tags jsonb NOT NULL,
    headings jsonb NOT NULL, words int NOT NULL, body text NOT NULL, origin text NOT NULL, raw text NOT NULL);
CREATE INDEX IF NOT EXISTS pages_source ON pgsage_knowledge.pages (source_id);
CREATE INDEX IF NOT EXISTS pages_url ON pgsage_knowledge.pages (url);
CREATE TABLE IF NOT EXISTS pgsage_knowledge.chunks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, page_id text NOT NULL, source_id text NOT NULL,
    origin text NOT NULL, section text NOT NULL, content text NOT NULL, title text NOT NULL, url text NOT NULL,
    v_first int NOT NULL, v_last int NOT NULL, tsv tsvector NOT NULL, tsv_meta tsvector NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_tsv ON pgsage_knowledge.chunks USING gin (tsv);
CREATE INDEX IF NOT EXISTS chunks_tsv_meta ON pgsage_knowledge.chunks USING gin (tsv_meta);
CREATE INDEX IF NOT EXISTS chunks_source ON pgsage_knowledge.chunks (source_id);
CREATE TABLE IF NOT EXISTS pgsage_knowledge.examples (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, page_id text NOT NULL, source_id text NOT NULL,
    origin text NOT NULL, section text NOT NULL, language text NOT NULL, summary text NOT NULL,
    code text NOT NULL, title text NOT NULL, url text NOT NULL, tsv tsvector NOT NULL);
CREATE INDEX IF NOT EXISTS examples_tsv ON pgsage_knowledge.examples USING gin (tsv);
CREATE TABLE IF NOT EXISTS pgsage_knowledge.terms (term text PRIMARY KEY, ndoc int NOT NULL)
"""

# Ranking: stage 1 lets PostgreSQL find and cheaply order the matches (ts_rank, GIN index); stage 2
# re-scores the best RERANK_POOL of them here with BM25F, idf from `terms` (ts_stat after every write),
# reading each candidate's tsvector text. ts_rank alone knows nothing of how rare a term is, and doing the
# idf weighting in SQL costs a ts_rank per term per row (measured: ~100 ms for 200 rows). A chunk's own
# text (tsv) and its page's title and tags (tsv_meta) are scored apart and added, as in the SQLite store.
_CANDIDATES = """
SELECT c.id, c.page_id, c.source_id, c.title, c.section, c.url, c.content, c.v_first, c.v_last,
       c.tsv::text AS tsv, c.tsv_meta::text AS tsv_meta, length(c.tsv) AS len, length(c.tsv_meta) AS len_meta
FROM pgsage_knowledge.chunks c
WHERE (c.tsv @@ $2::tsquery OR c.tsv_meta @@ $2::tsquery) AND ($3::text IS NULL OR c.source_id = $3)
ORDER BY ts_rank($1::float4[], c.tsv, $2::tsquery, 1) + ts_rank($1::float4[], c.tsv_meta, $2::tsquery, 1) DESC
LIMIT $4
"""
# Corpus statistics are computed once per write (_count_terms), not per query: averaging tsvector
# lengths reads every row.
_STATS = """
SELECT (SELECT value FROM pgsage_knowledge.meta WHERE key = 'stats') AS stats,
       (SELECT coalesce(json_object_agg(term, ndoc), '{}') FROM pgsage_knowledge.terms WHERE term = ANY($1)) AS df
"""
RERANK_POOL = 100
# BM25F weight of each tsvector label: A title, B tags/headings/title parts, C body, D identifier parts.
_LABEL_WEIGHTS = {"A": 6.0, "B": 3.0, "C": 1.0, "D": 0.4}
_K1, _B = 1.2, 0.75


def _weighted_tf(tsv_text: str, term: str) -> float:
    at = tsv_text.find(f"'{term}':")
    if at < 0:
        return 0.0
    start = at + len(term) + 3
    end = tsv_text.find(" ", start)
    positions = tsv_text[start : end if end >= 0 else len(tsv_text)].split(",")
    return sum(_LABEL_WEIGHTS.get(p[-1], 0.4) if p[-1].isalpha() else 0.4 for p in positions)


def _bm25f(rows: list[dict[str, Any]], query: Query, stats: dict[str, Any]) -> list[dict[str, Any]]:
    corpus = json.loads(stats["stats"] or "{}")
    total = max(int(corpus.get("total", 1)), 1)
    df = json.loads(stats["df"]) if isinstance(stats["df"], str) else dict(stats["df"] or {})
    idf = {
        t: query.weight(t) * max(math.log((total - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)), 1e-6)
        for t in query.all_terms
    }
    avg, avg_meta = float(corpus.get("avg_len") or 1.0), float(corpus.get("avg_len_meta") or 1.0)
    for row in rows:
        norm = _K1 * (1 - _B + _B * row["len"] / avg)
        norm_meta = _K1 * (1 - _B + _B * row["len_meta"] / avg_meta)
        score = 0.0
        for term, weight in idf.items():
            tf = _weighted_tf(row["tsv"], term)
            if tf:
                score += weight * tf * (_K1 + 1) / (tf + norm)
            tf = _weighted_tf(row["tsv_meta"], term)
            if tf:
                score += weight * tf * (_K1 + 1) / (tf + norm_meta)
        row["score"] = score
        for key in ("tsv", "tsv_meta", "len", "len_meta"):
            del row[key]
    rows.sort(key=lambda r: (-r["score"], r["id"]))
    return rows


def tsvector_literal(fields: list[tuple[str, str]]) -> str:
    """A tsvector in its input syntax from (terms, weight) pairs; terms are word characters, no escaping needed."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for text, weight in fields:
        for term in text.split():
            pos = min(pos + 1, 16_383)
            where = positions.setdefault(term, [])
            if len(where) < _MAX_POSITIONS:
                where.append(f"{pos}{weight}")
    return " ".join(f"'{term}':{','.join(where)}" for term, where in positions.items())


def _tsquery(query: Query) -> str:
    return " | ".join(f"'{term}'" for term in query.all_terms)


def _chunk_tsv(fields: dict[str, str]) -> tuple[str, str]:
    """(the chunk's own text, its page's title and tags) as two tsvectors."""
    content = tsvector_literal([(fields["heading"], "B"), (fields["body"], "C"), (fields["parts"], "D")])
    return content, tsvector_literal([(fields["title"], "A"), (fields["tags"], "B"), (fields["title_parts"], "B")])


def _example_tsv(fields: dict[str, str]) -> str:
    return tsvector_literal(
        [(fields["title"], "B"), (fields["summary"], "A"), (fields["code"], "C"), (fields["parts"], "D")]
    )


def _vector_text(vector: list[float]) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector) + "]"


class PgStore:
    kind = "postgresql"

    def __init__(self, dsn: str, *, want_vectors: bool = False) -> None:
        self.db = Database(DatabaseSettings(dsn=dsn, pool_min=0, pool_max=4, statement_timeout_ms=60_000,
                                            application_name="pgsage-knowledge"))
        self.want_vectors = want_vectors
        self.has_vectors = False

    async def open(self) -> None:
        async with self.db.connection() as conn:
            self.has_vectors = bool(await conn.fetchval(
                "SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass('pgsage_knowledge.chunks') "
                "AND attname = 'embedding' AND NOT attisdropped)"
            ))

    async def close(self) -> None:
        await self.db.close()

    async def shipped_digest(self) -> str | None:
        async with self.db.connection() as conn:
            if await conn.fetchval("SELECT to_regclass('pgsage_knowledge.meta')") is None:
                return None
            rows = dict(await conn.fetch(
                "SELECT key, value FROM pgsage_knowledge.meta WHERE key IN ('schema', 'shipped')"))
        return rows.get("shipped") if rows.get("schema") == SCHEMA_VERSION else None

    async def _prepare(self, conn: asyncpg.Connection) -> None:
        """Schema, and the vector column when wanted and pgvector can be had; caller holds the lock."""
        if await conn.fetchval("SELECT to_regclass('pgsage_knowledge.meta')") is not None:
            version = await conn.fetchval("SELECT value FROM pgsage_knowledge.meta WHERE key = 'schema'")
            if version != SCHEMA_VERSION:
                await conn.execute("DROP SCHEMA pgsage_knowledge CASCADE")
        await conn.execute(_SCHEMA)
        await conn.execute(
            "INSERT INTO pgsage_knowledge.meta VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE SET value = $1",
            SCHEMA_VERSION,
        )
        if self.want_vectors:
            try:
                async with conn.transaction():  # a savepoint: a missing pgvector must not abort the refresh
                    await conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                    await conn.execute("ALTER TABLE pgsage_knowledge.chunks ADD COLUMN IF NOT EXISTS embedding vector")
            except asyncpg.PostgresError:
                pass
        self.has_vectors = bool(await conn.fetchval(
            "SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'pgsage_knowledge.chunks'::regclass "
            "AND attname = 'embedding' AND NOT attisdropped)"
        ))

    async def sync_shipped(
        self, digest: str, sources: list[Source], build: Callable[[], Iterable[PageRecord]]
    ) -> bool:
        async with self.db.connection() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
            await self._prepare(conn)
            current = await conn.fetchval("SELECT value FROM pgsage_knowledge.meta WHERE key = 'shipped'")
            if current == digest:
                return False
            await self._delete(conn, "origin = 'shipped'")
            await conn.executemany(
                "INSERT INTO pgsage_knowledge.sources VALUES ($1, $2, $3, $4, 'shipped') "
                "ON CONFLICT (source_id) DO UPDATE SET title = $2, summary = $3, url = $4, origin = 'shipped'",
                [(s.source_id, s.title, s.summary, s.url) for s in sources],
            )
            await self._insert(conn, list(build()))
            await self._count_terms(conn)
            await conn.execute(
                "INSERT INTO pgsage_knowledge.meta VALUES ('shipped', $1) ON CONFLICT (key) DO UPDATE SET value = $1",
                digest,
            )
            return True

    async def replace_source(self, source: Source, records: list[PageRecord]) -> bool:
        async with self.db.connection() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
            await self._prepare(conn)
            existed = await conn.fetchval(
                "SELECT EXISTS (SELECT FROM pgsage_knowledge.sources WHERE source_id = $1)", source.source_id)
            await self._delete(conn, "source_id = $1", source.source_id)
            await conn.execute(
                "INSERT INTO pgsage_knowledge.sources VALUES ($1, $2, $3, $4, $5)",
                source.source_id, source.title, source.summary, source.url, source.origin,
            )
            await self._insert(conn, records)
            await self._count_terms(conn)
            return bool(existed)

    @staticmethod
    async def _count_terms(conn: asyncpg.Connection) -> None:
        await conn.execute("DELETE FROM pgsage_knowledge.terms")
        await conn.execute(
            "INSERT INTO pgsage_knowledge.terms "
            "SELECT word, ndoc FROM ts_stat('SELECT tsv || tsv_meta FROM pgsage_knowledge.chunks')"
        )
        await conn.execute(
            "INSERT INTO pgsage_knowledge.meta SELECT 'stats', json_build_object('total', count(*), "
            "'avg_len', coalesce(avg(length(tsv)), 1), 'avg_len_meta', coalesce(avg(length(tsv_meta)), 1))::text "
            "FROM pgsage_knowledge.chunks ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
        )

    @staticmethod
    async def _delete(conn: asyncpg.Connection, where: str, *args: Any) -> None:
        for table in ("chunks", "examples", "pages", "sources"):
            await conn.execute(f"DELETE FROM pgsage_knowledge.{table} WHERE {where}", *args)

    async def _insert(self, conn: asyncpg.Connection, records: list[PageRecord]) -> None:
        pages, chunks, examples = [], [], []
        for rec in records:
            page = rec.page
            v_first, v_last = page.pg_versions
            pages.append((
                page.id, page.source, page.title, page.url, json.dumps(page.urls), v_first, v_last,
                json.dumps(page.tags), json.dumps([s.heading for s in page.sections if s.heading]), rec.words,
                page.body, rec.origin, rec.raw,
            ))
            for i, chunk in enumerate(rec.chunks):
                vector = rec.vectors[i] if rec.vectors and self.has_vectors else None
                row = (page.id, page.source, rec.origin, chunk.section, chunk.content, page.title, page.url,
                       v_first, v_last, *_chunk_tsv(chunk_fields(page, chunk)))
                chunks.append((*row, _vector_text(vector) if vector else None) if self.has_vectors else row)
            for ex in rec.examples:
                examples.append((page.id, page.source, rec.origin, ex.section, ex.language, ex.summary, ex.code,
                                 page.title, page.url, _example_tsv(example_fields(page, ex))))
        await conn.executemany(
            "INSERT INTO pgsage_knowledge.pages VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb, $9::jsonb, "
            "$10, $11, $12, $13) ON CONFLICT (page_id) DO NOTHING",
            pages,
        )
        columns = "page_id, source_id, origin, section, content, title, url, v_first, v_last, tsv, tsv_meta"
        if self.has_vectors:
            await conn.executemany(
                f"INSERT INTO pgsage_knowledge.chunks ({columns}, embedding) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::tsvector, $11::tsvector, $12::vector)",
                chunks,
            )
        else:
            await conn.executemany(
                f"INSERT INTO pgsage_knowledge.chunks ({columns}) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::tsvector, $11::tsvector)",
                chunks,
            )
        await conn.executemany(
            "INSERT INTO pgsage_knowledge.examples (page_id, source_id, origin, section, language, summary, code, "
            "title, url, tsv) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::tsvector)",
            examples,
        )

    async def _fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        async def work(conn: asyncpg.Connection) -> list[dict[str, Any]]:
            return [dict(row) for row in await conn.fetch(sql, *args)]

        return await self.db.run(work)

    async def search_chunks(self, query: Query, source_id: str | None, limit: int) -> list[dict[str, Any]]:
        async def work(conn: asyncpg.Connection) -> list[dict[str, Any]]:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                stats = dict(await conn.fetchrow(_STATS, query.all_terms))
                rows = await conn.fetch(
                    _CANDIDATES, _WEIGHTS, _tsquery(query), source_id, max(RERANK_POOL, limit * 4)
                )
            return [dict(row) for row in rows], stats

        rows, stats = await self.db.run(work)  # type: ignore[arg-type]
        return _bm25f(rows, query, stats)[:limit]

    async def search_examples(self, query: Query, source_id: str | None, limit: int) -> list[dict[str, Any]]:
        return await self._fetch(
            "SELECT id, page_id, source_id, title, section, language, summary, code, url, "
            "ts_rank($1::float4[], tsv, q, 1) AS score "
            "FROM pgsage_knowledge.examples, CAST($2 AS tsquery) AS q "
            "WHERE tsv @@ q AND ($3::text IS NULL OR source_id = $3) ORDER BY score DESC, id LIMIT $4",
            _WEIGHTS, _tsquery(query), source_id, limit,
        )

    async def search_vectors(self, vector: list[float], source_id: str | None, limit: int) -> list[dict[str, Any]]:
        if not self.has_vectors:
            return []
        return await self._fetch(
            "SELECT id, page_id, source_id, title, section, url, content, v_first, v_last, "
            "1 - (embedding <=> $1::vector) AS score FROM pgsage_knowledge.chunks "
            "WHERE embedding IS NOT NULL AND vector_dims(embedding) = $2 AND ($3::text IS NULL OR source_id = $3) "
            "ORDER BY embedding <=> $1::vector LIMIT $4",
            _vector_text(vector), len(vector), source_id, limit,
        )

    async def sources(self) -> list[dict[str, Any]]:
        return await self._fetch(
            "SELECT s.source_id, s.title, s.summary, s.url, s.origin, count(p.page_id) AS pages, "
            "coalesce(sum(p.words), 0) AS words, min(p.v_first) AS v_first, max(p.v_last) AS v_last "
            "FROM pgsage_knowledge.sources s LEFT JOIN pgsage_knowledge.pages p USING (source_id) "
            "GROUP BY s.source_id ORDER BY s.origin DESC, s.source_id"
        )

    async def source(self, source_id: str) -> dict[str, Any] | None:
        rows = await self._fetch("SELECT * FROM pgsage_knowledge.sources WHERE source_id = $1", source_id)
        return rows[0] if rows else None

    async def pages_for_source(self, source_id: str) -> list[dict[str, Any]]:
        return await self._fetch(
            "SELECT page_id, title, url, words, v_first, v_last, headings::text AS headings "
            "FROM pgsage_knowledge.pages WHERE source_id = $1 ORDER BY page_id",
            source_id,
        )

    async def page(self, page_id: str | None, url: str | None) -> dict[str, Any] | None:
        columns = ("page_id, source_id, title, url, urls::text AS urls, v_first, v_last, tags::text AS tags, "
                   "words, body")
        if page_id:
            rows = await self._fetch(f"SELECT {columns} FROM pgsage_knowledge.pages WHERE page_id = $1", page_id)
        else:
            rows = await self._fetch(
                f"SELECT {columns} FROM pgsage_knowledge.pages WHERE url = $1 OR urls ? $1 "
                "ORDER BY url = $1 DESC, page_id LIMIT 1",
                url,
            )
        return rows[0] if rows else None

    async def count_chunks(self) -> int:
        rows = await self._fetch("SELECT count(*) AS n FROM pgsage_knowledge.chunks")
        return int(rows[0]["n"])

