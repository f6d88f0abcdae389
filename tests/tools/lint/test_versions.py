"""Behaviour that depends on the PostgreSQL version the migration targets."""

from __future__ import annotations

import pytest

from pgsage.tools.errors import InvalidInput
from pgsage.tools.lint import lint_sql, normalize_pg_version


def _rules(sql: str, pg_version: int, rule: str | None = None) -> list[str]:
    found = [f.rule for f in lint_sql(sql, pg_version=pg_version).findings]
    return [r for r in found if rule is None or r == rule]


@pytest.mark.parametrize(
    ("sql", "pg10", "pg16"),
    [
        ("ALTER TABLE t ADD COLUMN active boolean DEFAULT true;", 1, 0),  # metadata-only since 11
        ("ALTER TABLE t ADD COLUMN at timestamptz DEFAULT now();", 1, 0),  # stable, not volatile
        ("ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();", 1, 1),  # volatile: always
        ("ALTER TABLE t ADD COLUMN n bigint DEFAULT NULL;", 0, 0),  # a NULL default never rewrites
        ("ALTER TABLE t ADD COLUMN id bigserial;", 1, 1),  # nextval() per row
        ("ALTER TABLE t ADD COLUMN d int GENERATED ALWAYS AS (a * 2) STORED;", 1, 1),
    ],
)
def test_adding_field_with_default_by_version(sql: str, pg10: int, pg16: int) -> None:
    assert len(_rules(sql, 10, "adding-field-with-default")) == pg10
    assert len(_rules(sql, 16, "adding-field-with-default")) == pg16


def test_pre_11_message_names_the_version() -> None:
    finding = lint_sql("ALTER TABLE t ADD COLUMN a int DEFAULT 0;", pg_version=10).findings
    assert any("before PostgreSQL 11" in f.message for f in finding if f.rule == "adding-field-with-default")


def test_virtual_generated_column_is_not_a_rewrite() -> None:
    sql = "ALTER TABLE t ADD COLUMN d int GENERATED ALWAYS AS (a * 2) VIRTUAL;"
    assert _rules(sql, 18, "adding-field-with-default") == []


SAFE_NOT_NULL = """
ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT t_a_nn;
ALTER TABLE t ALTER COLUMN a SET NOT NULL;
"""


def test_set_not_null_uses_the_validated_check_only_from_12() -> None:
    assert _rules(SAFE_NOT_NULL, 12, "setting-not-nullable-field") == []
    assert _rules(SAFE_NOT_NULL, 11, "setting-not-nullable-field") == ["setting-not-nullable-field"]
    pg11 = lint_sql("ALTER TABLE t ALTER COLUMN a SET NOT NULL;", pg_version=11).findings[0]
    assert "keep the CHECK" in (pg11.safe_sql or "")
    pg16 = lint_sql("ALTER TABLE t ALTER COLUMN a SET NOT NULL;", pg_version=16).findings[0]
    assert "SET NOT NULL" in (pg16.safe_sql or "") and "DROP CONSTRAINT" in (pg16.safe_sql or "")


def test_unvalidated_or_other_column_check_does_not_exempt() -> None:
    not_validated = (
        "ALTER TABLE t ADD CONSTRAINT c CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;"
    )
    other_column = SAFE_NOT_NULL.replace("SET NOT NULL", "SET NOT NULL;\nALTER TABLE t ALTER COLUMN b SET NOT NULL")
    assert _rules(not_validated, 16, "setting-not-nullable-field") == ["setting-not-nullable-field"]
    assert _rules(other_column, 16, "setting-not-nullable-field") == ["setting-not-nullable-field"]


def test_enum_add_value_in_a_transaction_fails_only_before_12() -> None:
    sql = "BEGIN;\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';\nCOMMIT;"
    assert _rules(sql, 11, "enum-value-changes") == ["enum-value-changes"]
    assert _rules(sql, 12, "enum-value-changes") == []
    outside = "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';"
    assert _rules(outside, 11, "enum-value-changes") == []


def test_reindex_advice_depends_on_concurrently_support() -> None:
    pg11 = lint_sql("REINDEX INDEX i;", pg_version=11).findings[0]
    pg12 = lint_sql("REINDEX INDEX i;", pg_version=12).findings[0]
    assert "CREATE INDEX CONCURRENTLY" in (pg11.safe_sql or "")
    assert "REINDEX INDEX CONCURRENTLY i;" in (pg12.safe_sql or "")


def test_not_null_constraint_without_not_valid_is_flagged_on_18() -> None:
    sql = "ALTER TABLE t ADD CONSTRAINT t_a_nn NOT NULL a;"
    assert _rules(sql, 18, "constraint-missing-not-valid") == ["constraint-missing-not-valid"]
    assert _rules(sql.replace(";", " NOT VALID;"), 18, "constraint-missing-not-valid") == []


def test_pg18_not_null_not_valid_sequence_makes_set_not_null_instant() -> None:
    sql = "ALTER TABLE t ADD CONSTRAINT t_a_nn NOT NULL a NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_nn;\n"
    assert _rules(sql + "ALTER TABLE t ALTER COLUMN a SET NOT NULL;", 18, "setting-not-nullable-field") == []


def test_prefer_identity_only_where_identity_exists() -> None:
    sql = "CREATE TABLE t (id serial PRIMARY KEY);"
    assert "prefer-identity" not in lint_sql(sql, pg_version=9).rules_run
    assert _rules(sql, 9, "prefer-identity") == []
    assert _rules(sql, 10, "prefer-identity") == ["prefer-identity"]


@pytest.mark.parametrize(("given", "major"), [(16, 16), ("16", 16), ("16.4", 16), (160004, 16), (None, 18)])
def test_pg_version_forms(given: object, major: int) -> None:
    assert normalize_pg_version(given) == major  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["sixteen", 3, 400000000, "x.1"])
def test_bad_pg_version_is_a_clear_error(bad: object) -> None:
    with pytest.raises(InvalidInput, match="pg_version"):
        lint_sql("SELECT 1;", pg_version=bad)  # type: ignore[arg-type]


def test_using_an_enum_label_added_in_the_same_transaction_is_flagged() -> None:
    sql = "BEGIN;\nALTER TYPE s ADD VALUE IF NOT EXISTS 'pending';\nUPDATE t SET status = 'pending';\nCOMMIT;"
    assert [f.line for f in lint_sql(sql, pg_version=16).findings if f.rule == "enum-value-changes"] == [3]
    later = sql.replace("UPDATE", "COMMIT;\nBEGIN;\nUPDATE")
    assert _rules(later, 16, "enum-value-changes") == []
