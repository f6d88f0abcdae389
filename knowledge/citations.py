"""Citations: a knowledge page id with the official documentation URL from the page's front matter.

Every advisor cites through here, so a citation always names a page `rag_read_full_page` can open.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from .page import PageFormatError, read_page

__all__ = ["Citation", "cite", "page_path", "page_title", "pages_root"]


class Citation(BaseModel):
    page: str  # knowledge page id, readable with rag_read_full_page
    url: str | None = None  # the official documentation the page rests on; None if the page is missing


def pages_root() -> Path:
    return Path(str(resources.files("pgsage.knowledge").joinpath("pages")))


@cache
def _paths() -> dict[str, Path]:
    root = pages_root()
    return {path.stem: path for path in sorted(root.glob("*/*.md"))} if root.is_dir() else {}


def page_path(page_id: str) -> Path | None:
    """The file of the shipped page `page_id` (knowledge/pages/<source>/<page_id>.md), or None."""
    return _paths().get(page_id)


@cache
def _citation(page_id: str) -> Citation:
    path = page_path(page_id)
    if path is None:
        return Citation(page=page_id)
    try:
        return Citation(page=page_id, url=read_page(path).url or None)
    except (OSError, UnicodeDecodeError, PageFormatError):
        return Citation(page=page_id)


def cite(*page_ids: str) -> list[Citation]:
    """Citations for the given page ids, in order, without duplicates."""
    return [_citation(page_id) for page_id in dict.fromkeys(page_ids)]


@cache
def page_title(page_id: str) -> str:
    """The shipped page's title, or its id when the page is missing."""
    path = page_path(page_id)
    if path is None:
        return page_id
    try:
        return read_page(path).title
    except (OSError, UnicodeDecodeError, PageFormatError):
        return page_id
