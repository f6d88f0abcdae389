"""`KnowledgeBase`: the search engine behind the rag_* tools, over an embedded or a shared store.

Opened lazily on first use: loads the corpus, refreshes the store if the corpus hash changed (no manual
step), then serves searches. One instance is shared by all sessions of a server.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Literal

import anyio

from pgsage.tools.errors import FeatureUnavailable, InvalidInput, NotFound, WritesDisabled

from .corpus import ANY_VERSION, Corpus, Source, corpus_hash, load_corpus, shipped_paths
from .models import (
    CodeExampleHit,
    CodeSearchResult,
    FullPage,
    IngestResult,
    PageList,
    PageSummary,
    SearchHit,
    SearchResult,
    SkippedItem,
    SourceInfo,
    SourceList,
)
from .records import PageRecord, Query, make_query, record
from .vectors import Embedder, rrf

__all__ = ["MAX_MATCH_COUNT", "MAX_QUERY_CHARS", "KnowledgeBase", "Progress"]

MAX_QUERY_CHARS = 1_000
MAX_MATCH_COUNT = 50
CONTENT_CHARS = 1_200  # per search hit; rag_read_full_page has the rest
PAGE_CHARS = 60_000
MAX_PAGES_LISTED = 500
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")

Progress = Callable[[float, float | None, str], Awaitable[None]]


def _versions(v_first: int | None, v_last: int | None) -> list[int] | None:
    if v_first is None or v_last is None or (v_first, v_last) == ANY_VERSION:
        return None
    return [int(v_first), int(v_last)]


def _cap(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    stop = cut.rfind("\n")
    return (cut[:stop] if stop > limit * 0.7 else cut).rstrip() + "\n…", True


class KnowledgeBase:
    def __init__(
        self,
        *,
        data_dir: Path,
        pages_dir: Path | None = None,
        sources_file: Path | None = None,
        dsn: str | None = None,
        embedder: Embedder | None = None,
        allow_ingest: bool = True,
        local_roots: list[Path] | None = None,
    ) -> None:
        shipped_pages, shipped_sources = shipped_paths()
        self.pages_dir = pages_dir or shipped_pages
        self.sources_file = sources_file or (
            pages_dir.parent / "sources.toml" if pages_dir is not None else shipped_sources
        )
        self.data_dir = Path(data_dir)
        self.embedder = embedder
        self.allow_ingest = allow_ingest
        # None: any local path may be ingested (a local stdio server runs as its user); a list: only under these.
        self.local_roots = local_roots
        self.problems: list[str] = []
        if dsn:
            from .store_pg import PgStore

            self.store: Any = PgStore(dsn, want_vectors=embedder is not None)
        else:
            from .store_sqlite import SqliteStore

            self.store = SqliteStore(self.data_dir / "knowledge" / "index.sqlite3")
        self._ready = False
        self._open_lock = asyncio.Lock()
        self._ingest_lock = asyncio.Lock()

    @classmethod
    def from_config(cls, config: Any) -> KnowledgeBase:
        embedder = None
        if config.embeddings_url:
            key = config.embeddings_key.get_secret_value() if config.embeddings_key else None
            embedder = Embedder(config.embeddings_url, config.embeddings_model, key)
        dsn = config.knowledge_dsn.get_secret_value() if config.knowledge_dsn else None
        roots: list[Path] | None = [Path(r) for r in config.ingest_roots] if config.ingest_roots else None
        if roots is None and config.transport == "http":
            roots = []  # remote callers must not read this machine's files unless the operator allows folders
        return cls(
            data_dir=config.data_dir, dsn=dsn, embedder=embedder, allow_ingest=config.allow_ingest, local_roots=roots
        )

    @property
    def backend(self) -> str:
        return str(self.store.kind)

    # -- lifecycle -----------------------------------------------------------------------------------
    async def ready(self) -> KnowledgeBase:
        """Open the store and refresh the shipped corpus if it changed; cheap after the first call."""
        if self._ready:
            return self
        async with self._open_lock:
            if not self._ready:
                try:
                    await self._refresh()
                except (OSError, sqlite3.Error) as exc:
                    raise FeatureUnavailable(
                        f"Cannot open the knowledge index under {self.data_dir} ({type(exc).__name__}: {exc}). "
                        "Point PGSAGE_DATA_DIR (--data-dir) at a writable folder."
                    ) from None
                self._ready = True
        return self

    async def _refresh(self) -> None:
        # Hashing the files is much cheaper than parsing them: parse only when the index is stale.
        digest = await anyio.to_thread.run_sync(corpus_hash, self.pages_dir, self.sources_file)
        digest += f"|{self.embedder.identity}" if self.embedder else ""
        if await self.store.shipped_digest() == digest:
            await self.store.open()
            return
        corpus: Corpus = await anyio.to_thread.run_sync(load_corpus, self.pages_dir, self.sources_file)
        self.problems = corpus.problems
        records: list[PageRecord] = await anyio.to_thread.run_sync(
            lambda: [record(page, "shipped") for page in corpus.pages]
        )
        if self.embedder is not None:
            await self._embed(records)
        await self.store.sync_shipped(digest, corpus.sources, lambda: records)

    async def _embed(self, records: list[PageRecord]) -> None:
        assert self.embedder is not None
        texts = [f"{rec.page.title}\n{chunk.section}\n{chunk.content}" for rec in records for chunk in rec.chunks]
        vectors = await self.embedder.embed(texts) if texts else []
        at = 0
        for rec in records:
            rec.vectors = vectors[at : at + len(rec.chunks)]
            at += len(rec.chunks)

    async def aclose(self) -> None:
        await self.store.close()
        if self.embedder is not None:
            await self.embedder.aclose()

    # -- argument checks -----------------------------------------------------------------------------
    @staticmethod
    def _query(text: str) -> Query:
        text = (text or "").strip()
        if not text:
            raise InvalidInput("The query is empty: say what you are looking for, e.g. 'GIN index on jsonb'.")
        if len(text) > MAX_QUERY_CHARS:
            raise InvalidInput(
                f"The query has {len(text):,} characters; the limit is {MAX_QUERY_CHARS:,}. Ask about one "
                "topic in a few words (e.g. 'hnsw.ef_search recall')."
            )
        query = make_query(text)
        if not query.all_terms:
            raise InvalidInput(f"The query {text[:80]!r} has no searchable words (only stop words or symbols).")
        return query

    @staticmethod
    def _count(match_count: int) -> int:
        if not 1 <= match_count <= MAX_MATCH_COUNT:
            raise InvalidInput(f"match_count must be between 1 and {MAX_MATCH_COUNT}, not {match_count}.")
        return match_count

    async def _check_source(self, source_id: str | None) -> str | None:
        if source_id is None or source_id == "":
            return None
        if await self.store.source(source_id) is None:
            known = ", ".join(s["source_id"] for s in await self.store.sources())
            raise NotFound(f"Unknown source_id {source_id!r}. Available: {known}.")
        return source_id

    @staticmethod
    def _major(pg_version: int | None) -> int | None:
        if pg_version is None:
            return None
        major = pg_version // 10_000 if pg_version >= 10_000 else pg_version
        if not 9 <= major <= 99:
            raise InvalidInput(f"pg_version must be a major version such as 16, not {pg_version}.")
        return major

    # -- tools ---------------------------------------------------------------------------------------
    async def sources(self) -> SourceList:
        await self.ready()
        return SourceList(
            sources=[
                SourceInfo(
                    source_id=s["source_id"],
                    title=s["title"],
                    summary=s["summary"],
                    url=s["url"],
                    origin=s["origin"],
                    pages=int(s["pages"]),
                    words=int(s["words"]),
                    pg_versions=_versions(s["v_first"], s["v_last"]),
                )
                for s in await self.store.sources()
            ]
        )

    async def search(
        self,
        query: str,
        source_id: str | None = None,
        match_count: int = 5,
        return_mode: Literal["chunks", "pages"] = "chunks",
        pg_version: int | None = None,
    ) -> SearchResult:
        q = self._query(query)
        limit = self._count(match_count)
        if return_mode not in ("chunks", "pages"):
            raise InvalidInput(f"return_mode must be 'chunks' or 'pages', not {return_mode!r}.")
        major = self._major(pg_version)
        await self.ready()
        source = await self._check_source(source_id)
        want = limit * (8 if return_mode == "pages" else 1)
        pool = max(want * 3, 30) if major is not None or self.embedder else want
        rows, semantic = await self._ranked_chunks(q, source, pool)
        if major is not None:
            # Demote, not drop: a page for other versions is still better than nothing.
            rows.sort(key=lambda r: not (r["v_first"] <= major <= r["v_last"]))
        if return_mode == "pages":
            best: dict[str, dict[str, Any]] = {}
            for row in rows:  # best first, so the first chunk seen of a page is its best
                best.setdefault(row["page_id"], row)
            rows = list(best.values())
        hits = []
        for row in rows[:limit]:
            content, _ = _cap(row["content"], CONTENT_CHARS)
            hits.append(
                SearchHit(
                    page_id=row["page_id"],
                    source_id=row["source_id"],
                    title=row["title"],
                    section=row["section"],
                    url=row["url"],
                    content=content,
                    score=round(row["score"], 4),
                    pg_versions=_versions(row["v_first"], row["v_last"]),
                    applies=None if major is None else bool(row["v_first"] <= major <= row["v_last"]),
                )
            )
        return SearchResult(
            query=query.strip(), return_mode=return_mode, pg_version=major, semantic=semantic, results=hits
        )

    async def _ranked_chunks(self, q: Query, source: str | None, pool: int) -> tuple[list[dict[str, Any]], bool]:
        lexical = await self.store.search_chunks(q, source, pool)
        if self.embedder is None:
            return lexical, False
        try:
            vector = (await self.embedder.embed([q.text]))[0]
            semantic = await self.store.search_vectors(vector, source, pool)
        except Exception:  # an embeddings outage must not break search: fall back to lexical
            return lexical, False
        if not semantic:
            return lexical, False
        rows = {r["id"]: r for r in semantic} | {r["id"]: r for r in lexical}
        fused = rrf([r["id"] for r in lexical], [r["id"] for r in semantic])
        ordered = sorted(fused, key=lambda key: -fused[key])
        return [{**rows[key], "score": fused[key]} for key in ordered], True

    async def search_code(self, query: str, source_id: str | None = None, match_count: int = 5) -> CodeSearchResult:
        q = self._query(query)
        limit = self._count(match_count)
        await self.ready()
        source = await self._check_source(source_id)
        rows = await self.store.search_examples(q, source, limit)
        return CodeSearchResult(
            query=query.strip(),
            results=[
                CodeExampleHit(
                    page_id=r["page_id"],
                    source_id=r["source_id"],
                    title=r["title"],
                    section=r["section"],
                    language=r["language"],
                    summary=r["summary"],
                    code=_cap(r["code"], 4_000)[0],
                    url=r["url"],
                    score=round(r["score"], 4),
                )
                for r in rows
            ],
        )

    async def list_pages(self, source_id: str, section: str | None = None) -> PageList:
        await self.ready()
        if not source_id:
            raise InvalidInput("source_id is required; rag_get_available_sources lists them.")
        source = await self._check_source(source_id)
        assert source is not None
        rows = await self.store.pages_for_source(source)
        if section:
            needle = section.strip().lower()
            rows = [
                r
                for r in rows
                if needle in r["title"].lower()
                or needle in r["page_id"].lower()
                or any(needle in h.lower() for h in _headings(r["headings"]))
            ]
        pages = [
            PageSummary(
                page_id=r["page_id"],
                title=r["title"],
                url=r["url"],
                words=int(r["words"]),
                pg_versions=_versions(r["v_first"], r["v_last"]),
            )
            for r in rows[:MAX_PAGES_LISTED]
        ]
        return PageList(source_id=source, section=section, pages=pages, truncated=len(rows) > MAX_PAGES_LISTED)

    async def read_page(self, page_id: str | None = None, url: str | None = None) -> FullPage:
        if not page_id and not url:
            raise InvalidInput("Give page_id (from a search result) or url.")
        await self.ready()
        row = await self.store.page(page_id or None, None if page_id else url)
        if row is None:
            what = f"page_id {page_id!r}" if page_id else f"url {url!r}"
            raise NotFound(f"No page with {what}. Search first, then pass a page_id from the results.")
        content, truncated = _cap(row["body"].strip(), PAGE_CHARS)
        return FullPage(
            page_id=row["page_id"],
            source_id=row["source_id"],
            title=row["title"],
            url=row["url"],
            urls=_json_list(row["urls"]),
            pg_versions=_versions(row["v_first"], row["v_last"]),
            tags=_json_list(row["tags"]),
            words=int(row["words"]),
            content=content,
            truncated=truncated,
        )

    async def add_source(
        self,
        location: str,
        source_id: str | None = None,
        title: str | None = None,
        max_pages: int = 100,
        progress: Progress | None = None,
    ) -> IngestResult:
        from .ingest import MAX_PAGES_LIMIT, collect, default_source_id

        if not self.allow_ingest:
            raise WritesDisabled(
                "Adding sources is disabled on this server (PGSAGE_ALLOW_INGEST=false). Ask its operator."
            )
        location = (location or "").strip()
        if not location:
            raise InvalidInput("location is required: a folder, a file, or an http(s) URL.")
        if not 1 <= max_pages <= MAX_PAGES_LIMIT:
            raise InvalidInput(f"max_pages must be between 1 and {MAX_PAGES_LIMIT}, not {max_pages}.")
        sid = (source_id or default_source_id(location)).strip().lower()
        if not SOURCE_ID.match(sid):
            raise InvalidInput(
                f"source_id {sid!r} is not valid: use lowercase letters, digits, '-', '_' or '.' (max 63)."
            )
        await self.ready()
        existing = await self.store.source(sid)
        if existing is not None and existing["origin"] == "shipped":
            raise InvalidInput(f"{sid!r} is a shipped source and cannot be replaced; choose another source_id.")
        async with self._ingest_lock:
            found = await collect(location, sid, max_pages=max_pages, progress=progress, local_roots=self.local_roots)
            if not found.pages:
                reasons = "; ".join(f"{s.location}: {s.reason}" for s in found.skipped[:5])
                raise InvalidInput(f"Nothing to ingest from {location!r}" + (f" ({reasons})." if reasons else "."))
            records = [record(page, "ingested", raw) for page, raw in found.pages]
            if self.embedder is not None:
                await self._embed(records)
            source = Source(sid, title or found.title or sid, found.summary, found.home, "ingested")
            replaced = await self.store.replace_source(source, records)
        return IngestResult(
            source_id=sid,
            title=source.title,
            replaced=replaced,
            pages=len(records),
            chunks=sum(len(r.chunks) for r in records),
            code_examples=sum(len(r.examples) for r in records),
            skipped=[SkippedItem(location=s.location, reason=s.reason) for s in found.skipped[:50]],
            truncated=found.truncated,
        )


def _json_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value or []]


_headings = _json_list
