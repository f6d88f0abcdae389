"""Loading the model from SQL text and files: statement semantics, names, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgsage.tools.errors import InvalidInput, NotFound
from pgsage.tools.schema_model import load_model_from_sql


def test_migration_folder_is_applied_in_file_name_order(tmp_path: Path) -> None:
    (tmp_path / "002_add.sql").write_text("ALTER TABLE t ADD COLUMN b varchar(9);\nCREATE INDEX ON t (b);")
    (tmp_path / "001_init.sql").write_text("CREATE TABLE t (a int PRIMARY KEY);")
    (tmp_path / "notes.txt").write_text("not sql")
    model = load_model_from_sql(tmp_path)
    table = model.table("t")
    assert table is not None
    assert [c.name for c in table.columns] == ["a", "b"]
    assert table.column("b").type == "character varying(9)"  # type: ignore[union-attr]
    assert [i.name for i in table.indexes] == ["t_b_idx", "t_pkey"]
    assert model.origin == [str(tmp_path / "001_init.sql"), str(tmp_path / "002_add.sql")]


def test_statements_on_unknown_tables_become_warnings_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text("CREATE TABLE t (a int);\n\nALTER TABLE missing ADD COLUMN x int;\nSELECT 1;\n")
    model = load_model_from_sql(path)
    assert model.warnings == [f"{path}:3: statement on unknown table public.missing skipped"]
    assert model.table("t") is not None


def test_warning_lines_count_from_the_statement_not_the_comments_before_it() -> None:
    sql = "-- schéma, donnée\nCREATE TABLE a (x int);\n-- ééé\n\n   ALTER TABLE zz ADD COLUMN y int;"
    assert load_model_from_sql(sql).warnings == ["<sql 1>:5: statement on unknown table public.zz skipped"]


def test_bad_sql_names_the_source_and_line() -> None:
    with pytest.raises(InvalidInput, match=r"<sql 1>: SQL does not parse near line 2"):
        load_model_from_sql("CREATE TABLE t (a int);\nCREATE TABLE oops (;")


def test_missing_file_or_empty_folder_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        load_model_from_sql(tmp_path / "nope.sql")
    with pytest.raises(NotFound, match=r"no \.sql files"):
        load_model_from_sql(tmp_path)


def test_drop_column_takes_its_indexes_and_constraints_and_referencing_keys() -> None:
    model = load_model_from_sql(
        """
        CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE, n int CHECK (n > 0));
        CREATE TABLE c (id int PRIMARY KEY, code text REFERENCES p (code));
        CREATE INDEX p_n_code_idx ON p (n, code);
        ALTER TABLE p DROP COLUMN code CASCADE;
        """
    )
    p, c = model.table("p"), model.table("c")
    assert p is not None and c is not None
    assert [i.name for i in p.indexes] == ["p_pkey"]
    assert sorted(con.name for con in p.constraints) == ["p_n_check", "p_pkey"]
    assert c.foreign_keys == []


def test_rename_table_and_column_follow_references() -> None:
    model = load_model_from_sql(
        """
        CREATE TABLE a (id int PRIMARY KEY);
        CREATE TABLE b (a_id int REFERENCES a);
        ALTER TABLE a RENAME COLUMN id TO a_key;
        ALTER TABLE a RENAME TO alpha;
        """
    )
    fk = model.table("b").foreign_keys[0]  # type: ignore[union-attr]
    assert (fk.ref_table, fk.ref_columns, fk.name) == ("alpha", ["a_key"], "b_a_id_fkey")
    assert model.table("alpha").primary_key.columns == ["a_key"]  # type: ignore[union-attr]


def test_policies_record_the_columns_they_mention() -> None:
    model = load_model_from_sql(
        """
        CREATE TABLE t (project_id uuid, owner text);
        CREATE POLICY p ON t FOR UPDATE TO app_user, admin
            USING (project_id = current_setting('app.project_id')::uuid) WITH CHECK (owner = current_user);
        """
    )
    policy = model.table("t").policies[0]  # type: ignore[union-attr]
    assert (policy.command, policy.roles, policy.columns) == ("update", ["admin", "app_user"], ["owner", "project_id"])


def test_not_valid_counts_only_in_alter_table() -> None:
    model = load_model_from_sql(
        """
        CREATE TABLE t (a int, CONSTRAINT c1 CHECK (a > 0) NOT VALID);
        ALTER TABLE t ADD CONSTRAINT c2 CHECK (a < 9) NOT VALID;
        ALTER TABLE t ADD CONSTRAINT c3 CHECK (a <> 5) NOT VALID;
        ALTER TABLE t VALIDATE CONSTRAINT c3;
        """
    )
    assert {c.name: c.validated for c in model.table("t").constraints} == {  # type: ignore[union-attr]
        "c1": True,
        "c2": False,
        "c3": True,
    }


def test_extensions_functions_and_data_are_ignored() -> None:
    model = load_model_from_sql(
        """
        CREATE EXTENSION IF NOT EXISTS vector;
        CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
        CREATE TABLE t (e vector(1536));
        INSERT INTO t VALUES (NULL);
        """
    )
    assert [(t.name, t.columns[0].type) for t in model.tables] == [("t", "vector(1536)")]
    assert model.warnings == []


def test_a_lone_sql_path_string_is_read_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "schema.sql"
    path.write_text("CREATE TABLE from_file (a int);")
    model = load_model_from_sql([str(path), "CREATE TABLE inline (b int);"])
    assert [t.name for t in model.tables] == ["from_file", "inline"]
    assert model.origin == [str(path), "<sql 2>"]


def test_partitions_are_left_out_silently() -> None:
    model = load_model_from_sql(
        """
        CREATE TABLE m (id bigint, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
        CREATE TABLE m_2026 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        CREATE INDEX ON m_2026 (at);
        """
    )
    assert [(t.name, t.partitioned) for t in model.tables] == [("m", True)]
    assert model.warnings == []
