"""Every catalog, stats and health query file parses as one PostgreSQL statement, including the
version-specific ones no test database here can run (pg_stat_statements 1.11 needs PostgreSQL 17+ with
the extension preloaded)."""

from __future__ import annotations

from importlib import resources

import pglast
import pytest

PACKAGES = ("pgsage.tools.catalog", "pgsage.tools.health", "pgsage.tools.stats")
FILES = [
    (package, entry.name)
    for package in PACKAGES
    for entry in resources.files(package).joinpath("sql").iterdir()
    if entry.name.endswith(".sql")
]


def test_every_package_ships_its_queries() -> None:
    names = {name for _, name in FILES}
    assert {"top_queries_1_8.sql", "top_queries_1_11.sql", "checkpoints_17.sql", "checkpoints_pre17.sql"} <= names
    assert len(FILES) >= 40


@pytest.mark.parametrize(("package", "name"), FILES)
def test_query_parses_as_a_single_statement(package: str, name: str) -> None:
    text = resources.files(package).joinpath("sql", name).read_text()
    statements = pglast.parse_sql(text)
    assert len(statements) == 1, name


def test_pg_stat_statements_versions_use_their_own_column_names() -> None:
    old = resources.files("pgsage.tools.stats").joinpath("sql", "top_queries_1_8.sql").read_text()
    new = resources.files("pgsage.tools.stats").joinpath("sql", "top_queries_1_11.sql").read_text()
    assert "blk_read_time" in old and "shared_blk_read_time" not in old
    assert "shared_blk_read_time" in new and "s.blk_read_time" not in new
