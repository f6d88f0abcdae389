"""What the knowledge tools return: compact pydantic models (agents pay for every token)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

__all__ = [
    "CodeExampleHit",
    "CodeSearchResult",
    "FullPage",
    "IngestResult",
    "PageList",
    "PageSummary",
    "SearchHit",
    "SearchResult",
    "SkippedItem",
    "SourceInfo",
    "SourceList",
]


class SourceInfo(BaseModel):
    source_id: str
    title: str
    summary: str
    url: str  # home of the official docs the source cites
    origin: Literal["shipped", "ingested"]
    pages: int
    words: int
    pg_versions: list[int] | None  # [first, last] major versions its pages cover; None = not versioned


class SourceList(BaseModel):
    sources: list[SourceInfo]


class SearchHit(BaseModel):
    page_id: str
    source_id: str
    title: str
    section: str
    url: str  # the citation
    content: str
    score: float
    pg_versions: list[int] | None
    applies: bool | None = None  # whether the page applies to the requested pg_version


class SearchResult(BaseModel):
    query: str
    return_mode: Literal["chunks", "pages"]
    pg_version: int | None
    semantic: bool  # whether vector search was fused in
    results: list[SearchHit]


class CodeExampleHit(BaseModel):
    page_id: str
    source_id: str
    title: str
    section: str
    language: str
    summary: str
    code: str
    url: str
    score: float


class CodeSearchResult(BaseModel):
    query: str
    results: list[CodeExampleHit]


class PageSummary(BaseModel):
    page_id: str
    title: str
    url: str
    words: int
    pg_versions: list[int] | None


class PageList(BaseModel):
    source_id: str
    section: str | None
    pages: list[PageSummary]
    truncated: bool = False


class FullPage(BaseModel):
    page_id: str
    source_id: str
    title: str
    url: str
    urls: list[str]
    pg_versions: list[int] | None
    tags: list[str]
    words: int
    content: str
    truncated: bool = False


class SkippedItem(BaseModel):
    location: str
    reason: str


class IngestResult(BaseModel):
    source_id: str
    title: str
    replaced: bool  # the source existed and its pages were replaced
    pages: int
    chunks: int
    code_examples: int
    skipped: list[SkippedItem]
    truncated: bool = False  # max_pages stopped the ingest early
