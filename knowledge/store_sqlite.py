"""The embedded store: one SQLite file with FTS5 (BM25) under the data directory.

Pages are the source of truth; chunks, code examples and their FTS5 tables are derived from them. The
shipped corpus is refreshed when its content hash changes, inside `BEGIN IMMEDIATE`, so two processes
starting at once serialise and the second finds the work done. WAL mode lets searches run while an
ingest writes. Writes run in a worker thread with their own connection; searches are sub-millisecond
reads on a shared read connection.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import anyio

from .corpus import Source
from .postings import DocTable, build_postings, doc_table, top_scores
from .records import PageRecord, Query, chunk_fields, example_fields
from .vectors import VectorIndex

__all__ = ["SCHEMA_VERSION", "SqliteStore"]

SCHEMA_VERSION = "2"
# bm25() column weights: title, tags, heading, body, parts (chosen with bench/bench_knowledge.py and tests).
CHUNK_WEIGHTS = (6.0, 4.0, 3.0, 1.0, 0.4)
# The store scores a chunk's own text and its page's title and tags as two BM25F parts that are added:
# were they one document, every chunk of a page would get the same saturated title boost and the shortest
# chunk ("When not to") would win inside the page; split, the chunk that talks about the query wins.
CONTENT_WEIGHTS = (3.0, 1.0, 0.4)  # heading, body, parts
META_WEIGHTS = (6.0, 4.0)  # title, tags
EXAMPLE_WEIGHTS = (3.0, 4.0, 1.0, 0.4)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    source_id TEXT PRIMARY KEY, title TEXT NOT NULL, summary TEXT NOT NULL, url TEXT NOT NULL,
    origin TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    page_id TEXT PRIMARY KEY, source_id TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL,
    urls TEXT NOT NULL, v_first INTEGER NOT NULL, v_last INTEGER NOT NULL, tags TEXT NOT NULL,
    headings TEXT NOT NULL, words INTEGER NOT NULL, body TEXT NOT NULL, origin TEXT NOT NULL,
    raw TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pages_source ON pages (source_id);
CREATE INDEX IF NOT EXISTS pages_url ON pages (url);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY, page_id TEXT NOT NULL, source_id TEXT NOT NULL, origin TEXT NOT NULL,
    section TEXT NOT NULL, content TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL,
    v_first INTEGER NOT NULL, v_last INTEGER NOT NULL, embedding BLOB);
CREATE INDEX IF NOT EXISTS chunks_page ON chunks (page_id);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks (source_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, tags, heading, body, parts, tokenize = "unicode61 tokenchars '_'");
CREATE TABLE IF NOT EXISTS examples (
    id INTEGER PRIMARY KEY, page_id TEXT NOT NULL, source_id TEXT NOT NULL, origin TEXT NOT NULL,
    section TEXT NOT NULL, language TEXT NOT NULL, summary TEXT NOT NULL, code TEXT NOT NULL,
    title TEXT NOT NULL, url TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS examples_source ON examples (source_id);
CREATE VIRTUAL TABLE IF NOT EXISTS examples_fts USING fts5(
    title, summary, code, parts, tokenize = "unicode61 tokenchars '_'");
CREATE TABLE IF NOT EXISTS postings (
    kind TEXT NOT NULL, term TEXT NOT NULL, docs BLOB NOT NULL, tfs BLOB NOT NULL,
    PRIMARY KEY (kind, term)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS postings_docs (
    kind TEXT PRIMARY KEY, rowids BLOB NOT NULL, lengths BLOB NOT NULL, sources TEXT NOT NULL);
"""

# kind -> its scored parts: (posting kind, FTS5 table, columns, base table, weights); scores add up.
_KINDS = {
    "chunks": (
        ("chunks", "chunks_fts", "heading, body, parts", "chunks", CONTENT_WEIGHTS),
        ("chunks_meta", "chunks_fts", "title, tags", "chunks", META_WEIGHTS),
    ),
    "examples": (("examples", "examples_fts", "title, summary, code, parts", "examples", EXAMPLE_WEIGHTS),),
}

_DERIVED = ("chunks", "chunks_fts", "examples", "examples_fts", "pages", "sources", "meta", "postings",
            "postings_docs")


def _match(query: Query) -> str:
    # Terms are word characters only (knowledge/text.py), so quoting them makes a literal FTS5 query.
    return " OR ".join(f'"{term}"' for term in query.all_terms)


def _blob(vector: list[float] | None) -> bytes | None:
    return array("f", vector).tobytes() if vector else None


class SqliteStore:
    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read: sqlite3.Connection | None = None
        self._write_lock = threading.Lock()
        self._vectors: tuple[int, VectorIndex] | None = None
        self._tables: dict[str, tuple[int, DocTable]] = {}  # kind -> (generation, documents)

    # -- connections ---------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 60000")
        return conn

    def _reader(self) -> sqlite3.Connection:
        if self._read is None:
            conn = self._connect()
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only = 1")
            # Posting blobs are read on every search: keep them in memory rather than re-reading pages.
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA mmap_size = 268435456")
            self._read = conn
        return self._read

    async def _in_thread(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        def work() -> Any:
            with self._write_lock:
                conn = self._connect()
                try:
                    return fn(conn)
                finally:
                    conn.close()

        return await anyio.to_thread.run_sync(work)

    async def open(self) -> None:
        self._reader()

    async def shipped_digest(self) -> str | None:
        """The hash of the shipped corpus the index holds (None: no index yet, or an older schema)."""
        try:
            rows = dict(self._reader().execute("SELECT key, value FROM meta WHERE key IN ('schema', 'shipped')"))
        except sqlite3.OperationalError:
            return None
        return rows.get("shipped") if rows.get("schema") == SCHEMA_VERSION else None

    async def close(self) -> None:
        if self._read is not None:
            self._read.close()
            self._read = None

    # -- building ------------------------------------------------------------------------------------
    async def sync_shipped(
        self, digest: str, sources: list[Source], build: Callable[[], Iterable[PageRecord]]
    ) -> bool:
        """Replace the shipped pages if their hash changed; True when this call rebuilt them."""
        self.path.parent.mkdir(parents=True, exist_ok=True)

        def work(conn: sqlite3.Connection) -> bool:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = None
                if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                    version = row[0] if row else None
                    if version != SCHEMA_VERSION:
                        for table in _DERIVED:
                            conn.execute(f"DROP TABLE IF EXISTS {table}")
                # Not executescript(): it would commit and drop the IMMEDIATE lock.
                for statement in _statements(_SCHEMA):
                    conn.execute(statement)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                row = conn.execute("SELECT value FROM meta WHERE key = 'shipped'").fetchone()
                if row and row[0] == digest:
                    conn.execute("COMMIT")
                    return False
                self._delete(conn, "origin = 'shipped'", ())
                for source in sources:
                    conn.execute(
                        "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, 'shipped')",
                        (source.source_id, source.title, source.summary, source.url),
                    )
                for rec in build():
                    self._insert(conn, rec)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('shipped', ?)", (digest,))
                self._bump(conn)
                conn.execute("COMMIT")
                return True
            except BaseException:
                conn.execute("ROLLBACK")
                raise

        return bool(await self._in_thread(work))

    async def replace_source(self, source: Source, records: list[PageRecord]) -> bool:
        """Replace one ingested source's pages in one transaction; True if it existed before."""

        def work(conn: sqlite3.Connection) -> bool:
            conn.execute("BEGIN IMMEDIATE")
            try:
                existed = conn.execute(
                    "SELECT 1 FROM sources WHERE source_id = ?", (source.source_id,)
                ).fetchone() is not None
                self._delete(conn, "source_id = ?", (source.source_id,))
                conn.execute(
                    "INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
                    (source.source_id, source.title, source.summary, source.url, source.origin),
                )
                for rec in records:
                    self._insert(conn, rec)
                self._bump(conn)
                conn.execute("COMMIT")
                return existed
            except BaseException:
                conn.execute("ROLLBACK")
                raise

        return bool(await self._in_thread(work))

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        """Rebuild the posting lists and mark a new generation (readers reload their document tables)."""
        for kind, fts, columns, base, weights in (part for parts in _KINDS.values() for part in parts):
            rows = conn.execute(
                f"SELECT f.rowid, b.source_id, {', '.join('f.' + c.strip() for c in columns.split(','))} "
                f"FROM {fts} f JOIN {base} b ON b.id = f.rowid ORDER BY f.rowid"
            )
            rowids, lengths, sources, packed = build_postings(
                ((row[0], row[1], row[2:]) for row in rows), weights
            )
            conn.execute("DELETE FROM postings WHERE kind = ?", (kind,))
            conn.executemany(
                "INSERT INTO postings VALUES (?, ?, ?, ?)",
                ((kind, term, docs, tfs) for term, (docs, tfs) in packed.items()),
            )
            conn.execute(
                "INSERT OR REPLACE INTO postings_docs VALUES (?, ?, ?, ?)",
                (kind, rowids.tobytes(), lengths.tobytes(), json.dumps(sources)),
            )
        conn.execute(
            "INSERT INTO meta VALUES ('generation', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    @staticmethod
    def _delete(conn: sqlite3.Connection, where: str, args: tuple[Any, ...]) -> None:
        conn.execute(f"DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE {where})", args)
        conn.execute(f"DELETE FROM chunks WHERE {where}", args)
        conn.execute(f"DELETE FROM examples_fts WHERE rowid IN (SELECT id FROM examples WHERE {where})", args)
        conn.execute(f"DELETE FROM examples WHERE {where}", args)
        conn.execute(f"DELETE FROM pages WHERE {where}", args)
        conn.execute(f"DELETE FROM sources WHERE {where}", args)

    @staticmethod
    def _insert(conn: sqlite3.Connection, rec: PageRecord) -> None:
        page = rec.page
        v_first, v_last = page.pg_versions
        conn.execute(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                page.id, page.source, page.title, page.url, json.dumps(page.urls), v_first, v_last,
                json.dumps(page.tags), json.dumps([s.heading for s in page.sections if s.heading]),
                rec.words, page.body, rec.origin, rec.raw,
            ),
        )
        for i, chunk in enumerate(rec.chunks):
            vector = rec.vectors[i] if rec.vectors else None
            cur = conn.execute(
                "INSERT INTO chunks (page_id, source_id, origin, section, content, title, url, v_first, "
                "v_last, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (page.id, page.source, rec.origin, chunk.section, chunk.content, page.title, page.url,
                 v_first, v_last, _blob(vector)),
            )
            f = chunk_fields(page, chunk)
            conn.execute(
                "INSERT INTO chunks_fts (rowid, title, tags, heading, body, parts) VALUES (?, ?, ?, ?, ?, ?)",
                (cur.lastrowid, f["title"], f["tags"], f["heading"], f["body"], f["parts"]),
            )
        for example in rec.examples:
            cur = conn.execute(
                "INSERT INTO examples (page_id, source_id, origin, section, language, summary, code, title, "
                "url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (page.id, page.source, rec.origin, example.section, example.language, example.summary,
                 example.code, page.title, page.url),
            )
            f = example_fields(page, example)
            conn.execute(
                "INSERT INTO examples_fts (rowid, title, summary, code, parts) VALUES (?, ?, ?, ?, ?)",
                (cur.lastrowid, f["title"], f["summary"], f["code"], f["parts"]),
            )

    # -- reading -------------------------------------------------------------------------------------
    def _ranked(self, kind: str, query: Query, source_id: str | None, limit: int) -> list[tuple[int, float]]:
        """(rowid, score) best first; one read transaction so postings and documents agree."""
        conn = self._reader()
        conn.execute("BEGIN")
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
            generation = int(row[0]) if row else 0
            terms = query.all_terms
            marks = ",".join("?" * len(terms))
            groups = []
            for part, *_ in _KINDS[kind]:
                cached = self._tables.get(part)
                if cached is None or cached[0] != generation:
                    docs = conn.execute(
                        "SELECT rowids, lengths, sources FROM postings_docs WHERE kind = ?", (part,)
                    ).fetchone()
                    table = doc_table(docs[0], docs[1], json.loads(docs[2])) if docs else doc_table(b"", b"", [])
                    self._tables[part] = cached = (generation, table)
                postings = [
                    (query.weight(term), docs, tfs)
                    for term, docs, tfs in conn.execute(
                        f"SELECT term, docs, tfs FROM postings WHERE kind = ? AND term IN ({marks})", (part, *terms)
                    )
                ]
                groups.append((cached[1], postings))
            return top_scores(groups, limit, source_id)
        finally:
            conn.execute("COMMIT")

    def _rows(self, sql: str, ranked: list[tuple[int, float]]) -> list[dict[str, Any]]:
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        found = {row["id"]: dict(row) for row in self._reader().execute(sql.format(marks), [i for i, _ in ranked])}
        return [{**found[i], "score": score} for i, score in ranked if i in found]

    async def search_chunks(self, query: Query, source_id: str | None, limit: int) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT id, page_id, source_id, title, section, url, content, v_first, v_last FROM chunks "
            "WHERE id IN ({})",
            self._ranked("chunks", query, source_id, limit),
        )

    async def search_examples(self, query: Query, source_id: str | None, limit: int) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT id, page_id, source_id, title, section, language, summary, code, url FROM examples "
            "WHERE id IN ({})",
            self._ranked("examples", query, source_id, limit),
        )

    def fts5_bm25(self, query: Query, limit: int) -> list[tuple[int, float]]:
        """FTS5's own bm25() ranking of chunks: kept to measure against (bench) and to check parity (tests)."""
        sql = (
            f"SELECT rowid, -bm25(chunks_fts, {', '.join(map(str, CHUNK_WEIGHTS))}) AS score FROM chunks_fts "
            "WHERE chunks_fts MATCH ? ORDER BY score DESC LIMIT ?"
        )
        return [(row[0], row[1]) for row in self._reader().execute(sql, (_match(query), limit))]

    def _load_vectors(self) -> VectorIndex:
        conn = self._reader()
        generation = int((conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone() or [0])[0])
        if self._vectors is None or self._vectors[0] != generation:
            ids: list[int] = []
            rows: list[array[float]] = []
            for row in conn.execute("SELECT id, embedding FROM chunks WHERE embedding IS NOT NULL"):
                vec = array("f")
                vec.frombytes(row[1])
                ids.append(row[0])
                rows.append(vec)
            self._vectors = (generation, VectorIndex(ids, rows))
        return self._vectors[1]

    async def search_vectors(
        self, vector: list[float], source_id: str | None, limit: int
    ) -> list[dict[str, Any]]:
        best = self._load_vectors().top_k(vector, limit * 4 if source_id else limit)
        if not best:
            return []
        marks = ",".join("?" * len(best))
        found = {
            row["id"]: dict(row)
            for row in self._reader().execute(
                "SELECT id, page_id, source_id, title, section, url, content, v_first, v_last FROM chunks "
                f"WHERE id IN ({marks})",
                [chunk_id for chunk_id, _ in best],
            )
        }
        out = []
        for chunk_id, score in best:
            row = found.get(chunk_id)
            if row and (not source_id or row["source_id"] == source_id):
                out.append({**row, "score": score})
        return out[:limit]

    async def sources(self) -> list[dict[str, Any]]:
        sql = (
            "SELECT s.source_id, s.title, s.summary, s.url, s.origin, count(p.page_id) AS pages, "
            "coalesce(sum(p.words), 0) AS words, min(p.v_first) AS v_first, max(p.v_last) AS v_last "
            "FROM sources s LEFT JOIN pages p ON p.source_id = s.source_id "
            "GROUP BY s.source_id ORDER BY s.origin DESC, s.source_id"
        )
        return [dict(row) for row in self._reader().execute(sql)]

    async def source(self, source_id: str) -> dict[str, Any] | None:
        row = self._reader().execute("SELECT * FROM sources WHERE source_id = ?", (source_id,)).fetchone()
        return dict(row) if row else None

    async def pages_for_source(self, source_id: str) -> list[dict[str, Any]]:
        sql = (
            "SELECT page_id, title, url, words, v_first, v_last, headings FROM pages WHERE source_id = ? "
            "ORDER BY page_id"
        )
        return [dict(row) for row in self._reader().execute(sql, (source_id,))]

    async def page(self, page_id: str | None, url: str | None) -> dict[str, Any] | None:
        conn = self._reader()
        if page_id:
            row = conn.execute("SELECT * FROM pages WHERE page_id = ?", (page_id,)).fetchone()
        else:
            row = conn.execute("SELECT * FROM pages WHERE url = ? ORDER BY page_id LIMIT 1", (url,)).fetchone()
            if row is None:
                # A citation URL may be any of a page's urls, not only the first.
                row = conn.execute(
                    "SELECT pages.* FROM pages, json_each(pages.urls) WHERE json_each.value = ? "
                    "ORDER BY page_id LIMIT 1",
                    (url,),
                ).fetchone()
        return dict(row) if row else None

    async def count_chunks(self) -> int:
        return int(self._reader().execute("SELECT count(*) FROM chunks").fetchone()[0])


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";\n") if s.strip()]
