"""Citations for findings: knowledge page ids with the official URL the page rests on, when it exists."""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable

from pgsage.knowledge.page import PageFormatError, parse_page

from .model import Citation

__all__ = ["LOCK_LEVELS_PAGE", "citation", "citations_for", "page_url"]

LOCK_LEVELS_PAGE = "lock-levels"


def _page_files(folder: Traversable) -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            found.update(_page_files(entry))
        elif entry.name.endswith(".md"):
            found.setdefault(entry.name[:-3], entry)
    return found


@functools.cache
def _index() -> dict[str, Traversable]:
    try:
        pages = resources.files("pgsage.knowledge") / "pages"
        return _page_files(pages) if pages.is_dir() else {}
    except (FileNotFoundError, ModuleNotFoundError):
        return {}


@functools.cache
def page_url(page_id: str) -> str | None:
    """The page's first official URL, or None while the page does not exist (yet) or is malformed."""
    entry = _index().get(page_id)
    if entry is None:
        return None
    try:
        return parse_page(entry.read_text(encoding="utf-8")).url or None
    except (OSError, UnicodeDecodeError, PageFormatError):
        return None


def citation(page_id: str) -> Citation:
    return Citation(id=page_id, url=page_url(page_id))


def citations_for(kb: str, with_locks: bool) -> list[Citation]:
    ids = [kb] if kb else []
    if with_locks and LOCK_LEVELS_PAGE not in ids:
        ids.append(LOCK_LEVELS_PAGE)
    return [citation(i) for i in ids]
