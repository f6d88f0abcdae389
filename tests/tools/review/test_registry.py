"""The rule registry: one module per rule, unique kebab-case ids, and citations that resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pgsage.knowledge.citations import page_path as find_page_path
from pgsage.tools.review import REGISTRY
from pgsage.tools.review.citations import cite
from pgsage.tools.review.rules import MODULES

RULES_DIR = Path(__file__).parents[3] / "tools" / "review" / "rules"


def test_registry_matches_the_modules_on_disk() -> None:
    on_disk = sorted(p.stem for p in RULES_DIR.glob("*.py") if not p.name.startswith("_"))
    assert sorted(m.__name__.rsplit(".", 1)[-1] for m in MODULES) == on_disk
    # the module name is the rule id with underscores
    for module in MODULES:
        assert module.__name__.rsplit(".", 1)[-1] == module.RULE.id.replace("-", "_")


def test_ids_are_unique_kebab_case_with_severity_and_pages() -> None:
    assert len(REGISTRY) == len(MODULES)
    for rule_id, (info, check) in REGISTRY.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule_id)
        assert info.severity in ("error", "warning", "info")
        assert info.kb, rule_id
        assert callable(check)
        assert check.__module__.endswith(rule_id.replace("-", "_"))


@pytest.mark.parametrize("page_id", sorted({page for info, _ in REGISTRY.values() for page in info.kb}))
def test_every_cited_page_exists_with_an_official_url(page_id: str) -> None:
    path = find_page_path(page_id)
    assert path is not None, f"knowledge page {page_id} is missing from knowledge/pages"
    (citation,) = cite([page_id])
    assert citation.page == page_id
    assert citation.url and citation.url.startswith("https://")
