"""Citations: knowledge page ids with the official URL from each page's front matter."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from pgsage.knowledge.page import PageFormatError, read_page

from .finding import Citation, Finding, RuleInfo, Severity

__all__ = ["cite", "find_page_path", "new_finding", "pages_root"]


def pages_root() -> Path:
    return Path(str(resources.files("pgsage.knowledge").joinpath("pages")))


@cache
def find_page_path(page_id: str) -> Path | None:
    """The file of the page `page_id` (knowledge/pages/<source>/<page_id>.md), or None."""
    root = pages_root()
    if not root.is_dir():
        return None
    return next(iter(sorted(root.glob(f"*/{page_id}.md"))), None)


@cache
def _citation(page_id: str) -> Citation:
    path = find_page_path(page_id)
    if path is None:
        return Citation(page=page_id)
    try:
        page = read_page(path)
    except (OSError, PageFormatError):
        return Citation(page=page_id)
    return Citation(page=page.id, url=page.url or None)


def cite(page_ids: tuple[str, ...] | list[str]) -> list[Citation]:
    return [_citation(page_id) for page_id in page_ids]


def new_finding(
    rule: RuleInfo,
    obj: str,
    *,
    why: str,
    evidence: str,
    fix: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of `rule`, citing the rule's knowledge pages."""
    return Finding(
        rule=rule.id,
        severity=severity or rule.severity,
        object=obj,
        why=why,
        evidence=evidence,
        fix=fix,
        citations=cite(rule.kb),
    )
