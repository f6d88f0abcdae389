"""The benchmark's migration corpus lints to the rule ids recorded next to it, and covers every rule."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pgsage.tools.lint import RULES, lint_paths

CORPUS = Path(__file__).parents[3] / "bench" / "migrations"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED["expected"]))
def test_corpus_file_gives_the_recorded_rules(name: str) -> None:
    report = lint_paths([CORPUS / name], pg_version=EXPECTED["pg_version"])
    assert report.errors == []
    assert sorted({f.rule for f in report.findings}) == EXPECTED["expected"][name]


def test_corpus_covers_every_rule_and_has_clean_files() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.sql"))
    assert files == sorted(EXPECTED["expected"]) and len(files) >= 30
    seen = {rule for ids in EXPECTED["expected"].values() for rule in ids}
    assert seen == set(RULES)
    assert sum(1 for ids in EXPECTED["expected"].values() if not ids) >= 8
