"""MCP wrappers for the knowledge tools (thin: argument checks and pydantic results).

Names and parameters follow Archon's rag_* tools so agents written for Archon work unchanged.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from mcp.server.mcpserver import Context, MCPServer

from pgsage.knowledge.engine import KnowledgeBase
from pgsage.knowledge.models import (
    CodeSearchResult,
    FullPage,
    IngestResult,
    PageList,
    SearchResult,
    SourceList,
)

from .config import Config
from .registry import add_tool
from .state import AppState, app_state

__all__ = ["knowledge_base", "register"]

_VERSION_RETRY_S = 60.0  # after a failed version lookup, search without it for this long
_VERSION_TIMEOUT_S = 2.0


def knowledge_base(state: AppState) -> KnowledgeBase:
    """The one knowledge base of this server, created on first use and shared by all sessions."""
    if state.knowledge is None:
        state.knowledge = KnowledgeBase.from_config(state.config)
    kb: KnowledgeBase = state.knowledge
    return kb


async def _live_major(state: AppState) -> int | None:
    """The connected server's major version, or None when there is no database or it is down."""
    if not state.db.configured or time.monotonic() < state.extras.get("knowledge_version_retry_at", 0.0):
        return None
    try:
        return await asyncio.wait_for(state.db.server_version_num(), _VERSION_TIMEOUT_S) // 10_000
    except Exception:  # search must work with the database down
        state.extras["knowledge_version_retry_at"] = time.monotonic() + _VERSION_RETRY_S
        return None


async def rag_get_available_sources(ctx: Context) -> SourceList:
    """List the knowledge sources (source_id, title, official docs URL, page counts, versions). Use a
    source_id to narrow rag_search_knowledge_base or rag_list_pages_for_source."""
    return await knowledge_base(app_state(ctx)).sources()


async def rag_search_knowledge_base(
    ctx: Context,
    query: str,
    source_id: str | None = None,
    match_count: int = 5,
    return_mode: Literal["chunks", "pages"] = "chunks",
    pg_version: int | None = None,
) -> SearchResult:
    """Search the PostgreSQL knowledge base; results carry citation URLs. Use short keyword queries
    (e.g. "jsonb_path_ops GIN", "hnsw.ef_search"). pg_version defaults to the connected server's."""
    state = app_state(ctx)
    if pg_version is None:
        pg_version = await _live_major(state)
    return await knowledge_base(state).search(query, source_id, match_count, return_mode, pg_version)


async def rag_search_code_examples(
    ctx: Context, query: str, source_id: str | None = None, match_count: int = 5
) -> CodeSearchResult:
    """Search code examples (SQL, Python...) taken from the knowledge pages, each with a summary and
    citation URL."""
    return await knowledge_base(app_state(ctx)).search_code(query, source_id, match_count)


async def rag_list_pages_for_source(ctx: Context, source_id: str, section: str | None = None) -> PageList:
    """List a source's pages (page_id, title, url); `section` filters by words in titles or headings."""
    return await knowledge_base(app_state(ctx)).list_pages(source_id, section)


async def rag_read_full_page(ctx: Context, page_id: str | None = None, url: str | None = None) -> FullPage:
    """Read a whole page by page_id (from search results) or by its url."""
    return await knowledge_base(app_state(ctx)).read_page(page_id, url)


async def rag_add_source(
    ctx: Context,
    location: str,
    source_id: str | None = None,
    title: str | None = None,
    max_pages: int = 100,
) -> IngestResult:
    """Add your team's docs to the knowledge base: a local folder or file (Markdown, HTML, text, RST) or an
    http(s) URL (a page, sitemap.xml or llms.txt). Re-adding a source_id replaces its pages."""
    state = app_state(ctx)

    async def progress(done: float, total: float | None, message: str) -> None:
        await ctx.report_progress(done, total, message)

    return await knowledge_base(state).add_source(location, source_id, title, max_pages, progress)


def register(server: MCPServer[Any], config: Config) -> None:
    add_tool(server, rag_get_available_sources, title="Knowledge sources", read_only=True)
    add_tool(server, rag_search_knowledge_base, title="Search PostgreSQL knowledge", read_only=True)
    add_tool(server, rag_search_code_examples, title="Search code examples", read_only=True)
    add_tool(server, rag_list_pages_for_source, title="List pages of a source", read_only=True)
    add_tool(server, rag_read_full_page, title="Read a knowledge page", read_only=True)
    # A write to the knowledge store (never to the user's database). Re-ingesting replaces that source's
    # pages, which is destructive for that source; it reaches the network when given a URL.
    add_tool(
        server,
        rag_add_source,
        title="Add documentation source",
        read_only=False,
        destructive=True,
        idempotent=True,
        open_world=True,
    )
