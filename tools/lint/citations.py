"""Citations for findings: knowledge page ids with the official URL the page rests on, when it exists."""

from __future__ import annotations

from pgsage.knowledge.citations import Citation, cite

__all__ = ["LOCK_LEVELS_PAGE", "Citation", "citations_for", "page_url"]

LOCK_LEVELS_PAGE = "lock-levels"


def page_url(page_id: str) -> str | None:
    """The page's first official URL, or None while the page does not exist."""
    return cite(page_id)[0].url


def citations_for(kb: str, with_locks: bool) -> list[Citation]:
    ids = [kb] if kb else []
    if with_locks and LOCK_LEVELS_PAGE not in ids:
        ids.append(LOCK_LEVELS_PAGE)
    return cite(*ids)
