"""What a store receives for one page, and the search terms of each field (shared by both backends)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .corpus import Chunk, Example, chunk_page, extract_examples
from .page import Page
from .text import Terms, expand_synonyms, terms

__all__ = [
    "MAX_QUERY_TERMS",
    "PART_WEIGHT",
    "SYNONYM_WEIGHT",
    "PageRecord",
    "Query",
    "chunk_fields",
    "example_fields",
    "make_query",
    "record",
]

MAX_QUERY_TERMS = 40


@dataclass
class PageRecord:
    page: Page
    origin: str  # "shipped" or "ingested"
    chunks: list[Chunk]
    examples: list[Example]
    raw: str = ""  # the page's Markdown with front matter (ingested pages), to rebuild from
    vectors: list[list[float]] | None = None  # one per chunk when embeddings are configured

    @property
    def words(self) -> int:
        return len(self.page.body.split())


def record(page: Page, origin: str, raw: str = "") -> PageRecord:
    return PageRecord(page, origin, chunk_page(page), extract_examples(page), raw)


def _join(values: list[str]) -> str:
    return " ".join(values)


@functools.lru_cache(maxsize=4_096)
def _short_terms(text: str) -> Terms:
    # Titles, tags and headings repeat on every chunk of a page: tokenize them once.
    return terms(text)


def chunk_fields(page: Page, chunk: Chunk) -> dict[str, str]:
    """Space-separated terms per indexed field: title, tags, heading, body, parts."""
    title, tags, heading = _short_terms(page.title), _short_terms(" ".join(page.tags)), _short_terms(chunk.section)
    body = terms(chunk.content)
    parts = title.parts + tags.parts + heading.parts + body.parts
    # Tags are written as identifiers (jsonb_path_ops) or plain words; index both spellings.
    return {
        "title": _join(title.main),
        "tags": _join(tags.main + tags.parts),
        "heading": _join(heading.main),
        "body": _join(body.main),
        "parts": _join(parts),
        "title_parts": _join(title.parts),  # the PostgreSQL store ranks these with the title
    }


def example_fields(page: Page, example: Example) -> dict[str, str]:
    """Terms of a code example: title, summary (with section), code, parts."""
    title, summary = _short_terms(page.title), terms(example.summary + " " + example.section)
    code = terms(example.code)
    return {
        "title": _join(title.main),
        "summary": _join(summary.main),
        "code": _join(code.main),
        "parts": _join(title.parts + summary.parts + code.parts),
    }


# How much a query term counts: the user's own words fully, a synonym or a piece of an identifier less, so
# a page using the user's exact word ranks above one that only matches through an expansion.
SYNONYM_WEIGHT = 0.6
PART_WEIGHT = 0.35


@dataclass
class Query:
    text: str
    main: list[str]  # the query's terms, then synonyms
    parts: list[str] = field(default_factory=list)
    own: frozenset[str] = frozenset()  # the terms the user wrote (not synonyms)

    @property
    def all_terms(self) -> list[str]:
        return list(dict.fromkeys(self.main + self.parts))[:MAX_QUERY_TERMS]

    def weight(self, term: str) -> float:
        if term in self.own:
            return 1.0
        return SYNONYM_WEIGHT if term in self.main else PART_WEIGHT


def make_query(text: str) -> Query:
    found: Terms = terms(text)
    return Query(
        text, expand_synonyms(found.main), [p for p in found.parts if p not in found.main], frozenset(found.main)
    )
