"""Each rule's knowledge page agrees with the rule: its "Instead of" SQL is flagged, its "Use" SQL is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgsage.knowledge.page import read_page
from pgsage.tools.lint import RULES, lint_sql

PAGES = Path(__file__).parents[3] / "knowledge" / "pages" / "migrations"
# The page's general advice is reported by more specific rules by default.
REPORTED_BY = {"constraint-missing-not-valid": {"adding-check-constraint", "adding-foreign-key-constraint"}}
# "Instead of" shows the failure at run time (an overflowing UPDATE, a colliding INSERT), not DDL to lint.
RUNTIME_DEMOS = {"prefer-bigint-over-int", "prefer-identity"}
# "Use" still contains the statement: deferred to a later release, paired with a compatibility view, or a
# type change whose old type (declared in the page's setup block) is not part of the block linted alone.
SAFE_FORM_KEEPS_STATEMENT = {"ban-drop-column", "renaming-column", "renaming-table", "changing-column-type"}


def _blocks(rule_id: str, section: str) -> list[str]:
    page = read_page(PAGES / f"{rule_id}.md")
    return [b.code for b in page.code_blocks if b.language == "sql" and b.section.lower().startswith(section)]


@pytest.mark.parametrize("rule_id", sorted(set(RULES) - RUNTIME_DEMOS))
def test_instead_of_examples_are_flagged(rule_id: str) -> None:
    blocks = _blocks(rule_id, "instead of")
    if not blocks:
        pytest.skip(f"{rule_id} page has no 'Instead of' example")
    accepted = {rule_id} | REPORTED_BY.get(rule_id, set())
    for code in blocks:
        assert accepted & {f.rule for f in lint_sql(code).findings}, code


@pytest.mark.parametrize("rule_id", sorted(set(RULES) - SAFE_FORM_KEEPS_STATEMENT))
def test_use_examples_pass_the_rule(rule_id: str) -> None:
    for code in _blocks(rule_id, "use"):
        assert [f.message for f in lint_sql(code).findings if f.rule == rule_id] == [], code
