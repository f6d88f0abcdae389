"""Alembic revisions: the SQL of upgrade() is linted, findings point at the Python lines."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pgsage.tools.errors import InvalidInput
from pgsage.tools.lint import lint_paths
from pgsage.tools.lint.alembic import revision_sql

HERE = Path(__file__).parent / "alembic"


def test_unsafe_revision_gives_the_expected_findings_at_python_positions() -> None:
    expected = tomllib.loads((HERE / "a1b2_unsafe_changes.toml").read_text())
    report = lint_paths([HERE / "a1b2_unsafe_changes.py"])
    assert [[f.rule, f.line, f.column] for f in report.findings] == expected["findings"]
    assert [[n.line, n.column] for n in report.notes] == expected["notes"]
    assert report.errors == []


def test_safe_revision_is_clean() -> None:
    report = lint_paths([HERE / "c3d4_safe_changes.py"])
    assert report.findings == [] and report.errors == []
    assert report.statements == 11


def test_folder_skips_files_without_upgrade_and_keeps_order() -> None:
    report = lint_paths([HERE])
    assert [Path(f).name for f in report.files] == ["a1b2_unsafe_changes.py", "c3d4_safe_changes.py"]


def test_emitted_sql_for_common_ops() -> None:
    source = """
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("email", sa.String(length=200), nullable=False, unique=True),
                    sa.Column("owner_id", sa.BigInteger(), sa.ForeignKey("users.id")),
                    sa.Column("meta", postgresql.JSONB(), server_default="{}"))
    op.create_unique_constraint("uq_t_email", "t", ["email"])
    op.create_primary_key("pk_x", "x", ["a", "b"])
    op.drop_constraint("ck_old", "t", type_="check")
    op.rename_table("t", "t2")
    op.alter_column("t2", "email", server_default=None, new_column_name="mail")
    op.drop_index("ix_a", table_name="t2")
"""
    sql = revision_sql(source)
    assert sql is not None
    assert sql.sql.splitlines() == [
        "CREATE TABLE t (id serial NOT NULL, email varchar(200) NOT NULL UNIQUE, "
        "owner_id bigint REFERENCES users (id), meta jsonb DEFAULT '{}', PRIMARY KEY (id));",
        "ALTER TABLE t ADD CONSTRAINT uq_t_email UNIQUE (email);",
        "ALTER TABLE x ADD CONSTRAINT pk_x PRIMARY KEY (a, b);",
        "ALTER TABLE t DROP CONSTRAINT ck_old;",
        "ALTER TABLE t RENAME TO t2;",
        "ALTER TABLE t2 ALTER COLUMN email DROP DEFAULT;",
        "ALTER TABLE t2 RENAME COLUMN email TO mail;",
        "DROP INDEX ix_a;",
    ]
    assert sql.origins[0][:2] == (7, 5) and sql.origins[5][:2] == (15, 5)


def test_parse_error_in_execute_points_into_the_python_file(tmp_path: Path) -> None:
    path = tmp_path / "r1.py"
    path.write_text('def upgrade():\n    op.execute("""\n        ALTER TABLE t ADDD x;\n    """)\n')
    report = lint_paths([path])
    assert [(e.line, e.column, e.message) for e in report.errors] == [(3, 23, 'syntax error at or near "ADDD"')]


def test_explicit_non_revision_and_python_syntax_errors(tmp_path: Path) -> None:
    plain = tmp_path / "helpers.py"
    plain.write_text("def helper():\n    return 1\n")
    report = lint_paths([plain])
    assert "no upgrade() function" in report.errors[0].message
    broken = tmp_path / "r2.py"
    broken.write_text("def upgrade(:\n")
    report = lint_paths([broken])
    assert "Python syntax error" in report.errors[0].message
    with pytest.raises(InvalidInput, match="Python syntax error"):
        revision_sql("def upgrade(:\n", "r2.py")


def test_unknown_ops_and_dynamic_arguments_become_notes(tmp_path: Path) -> None:
    path = tmp_path / "r3.py"
    path.write_text(
        "def upgrade():\n"
        "    op.create_exclude_constraint('ex', 't', ('period', '&&'))\n"
        "    op.add_column(TABLE, sa.Column('a', sa.Text()))\n"
        "    op.drop_column('t', 'gone')\n"
    )
    report = lint_paths([path], exclude=["require-timeout-settings"])
    assert [(n.line, "not understood" in n.message or "not literals" in n.message) for n in report.notes] == [
        (2, True),
        (3, True),
    ]
    assert [f.rule for f in report.findings] == ["ban-drop-column"]


def test_autogenerate_unnamed_constraints_are_linted() -> None:
    source = (
        "def upgrade():\n"
        "    op.create_foreign_key(None, 'orders', 'users', ['user_id'], ['id'])\n"
        "    op.create_unique_constraint(None, 'users', ['email'])\n"
    )
    sql = revision_sql(source)
    assert sql is not None and sql.notes == []
    assert sql.sql.splitlines() == [
        "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);",
        "ALTER TABLE users ADD UNIQUE (email);",
    ]
