"""Every rule against its fixtures: the exact findings on bad.sql, none on good.sql, and safe SQL that holds."""

from __future__ import annotations

import importlib
import inspect
import re
import tomllib
from pathlib import Path

import pglast.ast
import pytest
from pglast import parser as pg_parser

from pgsage.tools.lint import REGISTRY, RULES, lint_sql
from pgsage.tools.lint.citations import page_url

FIXTURES = Path(__file__).parent / "fixtures"
RULE_IDS = sorted(RULES)
# Their safe SQL still contains the flagged statement: deferred to a later release (drops), or paired with
# a compatibility view in the same transaction (renaming-table), which the rule does not look ahead for.
DEFERRED = {"ban-drop-column", "ban-drop-table", "renaming-table"}


def _expected(rule_id: str) -> list[dict]:
    return tomllib.loads((FIXTURES / rule_id / "expected.toml").read_text())["bad"]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_bad_fixture_gives_exactly_the_expected_findings(rule_id: str) -> None:
    report = lint_sql((FIXTURES / rule_id / "bad.sql").read_text(), pg_version=18)
    found = [{"line": f.line, "column": f.column, "lock": f.lock or ""} for f in report.findings if f.rule == rule_id]
    assert found == _expected(rule_id)
    for finding in (f for f in report.findings if f.rule == rule_id):
        assert finding.why and finding.fix and finding.message
        assert finding.severity == RULES[rule_id].RULE.severity
        assert finding.citations[0].page == RULES[rule_id].RULE.kb
        if finding.lock:
            assert finding.blocks, "a finding that names a lock must say what it blocks"
            assert [c.page for c in finding.citations][-1] == "lock-levels"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_good_fixture_gives_no_finding_for_the_rule(rule_id: str) -> None:
    report = lint_sql((FIXTURES / rule_id / "good.sql").read_text(), pg_version=18)
    assert [f.message for f in report.findings if f.rule == rule_id] == []


@pytest.mark.parametrize("rule_id", sorted(set(RULE_IDS) - DEFERRED))
def test_safe_sql_parses_and_passes_the_rule(rule_id: str) -> None:
    report = lint_sql((FIXTURES / rule_id / "bad.sql").read_text(), pg_version=18)
    for finding in (f for f in report.findings if f.rule == rule_id and f.safe_sql):
        if "<" in re.sub(r"--.*", "", finding.safe_sql) or finding.safe_sql.startswith(f'"{finding.rule}'):
            continue  # has placeholders such as <type> or <key> for the author to fill in
        if not finding.safe_sql.rstrip().endswith(";"):
            continue  # a column definition fragment (type preference rules)
        pg_parser.parse_sql_json(finding.safe_sql)
        again = lint_sql(finding.safe_sql, pg_version=18)
        assert [f.message for f in again.findings if f.rule == rule_id] == [], finding.safe_sql


def test_registry_matches_the_modules_and_fixtures() -> None:
    on_disk = {p.stem for p in (Path(REGISTRY[0].__file__).parent).glob("*.py") if not p.stem.startswith("_")}
    assert on_disk == {m.__name__.rsplit(".", 1)[1] for m in REGISTRY}
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} == set(RULES)
    assert len(RULES) == len(REGISTRY) == 29
    for module in REGISTRY:
        rule = module.RULE
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id)
        assert module.__name__.rsplit(".", 1)[1] == rule.id.replace("-", "_")
        assert importlib.import_module(module.__name__).check is module.check
        assert rule.severity in ("error", "warning", "info")
        assert rule.kb == rule.id
        assert all(hasattr(pglast.ast, kind) for kind in rule.kinds), rule.kinds
        if "ctx.pg_version" in inspect.getsource(module):
            assert rule.changed_in or rule.min_pg_version, f"{rule.id} varies by version but does not say so"


@pytest.mark.parametrize("page_id", [*RULE_IDS, "lock-levels"])
def test_every_cited_page_exists_with_an_official_url(page_id: str) -> None:
    url = page_url(page_id)
    assert url and url.startswith("https://"), f"knowledge page {page_id} is missing or has no URL"
