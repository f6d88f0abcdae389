"""The engine: statement context, positions, exclusions, errors, and linting several files in order."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from pgsage.tools.errors import InvalidInput, NotFound
from pgsage.tools.lint import RULES, SqlParseError, lint_paths, lint_sql
from pgsage.tools.lint.engine import lint_text
from pgsage.tools.lint.model import Rule


def test_malformed_sql_reports_pglasts_message_and_position() -> None:
    with pytest.raises(SqlParseError) as err:
        lint_sql("SELECT 1;\nALTER TABLE t ADDD COLUMN x int;", file="m.sql")
    assert str(err.value) == 'm.sql:2:15: syntax error at or near "ADDD"'
    assert (err.value.problem.line, err.value.problem.column) == (2, 15)


def test_parse_error_at_end_of_input_points_at_the_end() -> None:
    with pytest.raises(SqlParseError, match=r"^line 1:12: syntax error at end of input"):
        lint_sql("SELECT from\n\n")


@pytest.mark.parametrize("sql", ["", "   \n", "-- only a comment\n/* and another */"])
def test_empty_input_is_a_clear_error(sql: str) -> None:
    with pytest.raises(InvalidInput, match=r"empty|no SQL statements"):
        lint_sql(sql)


def test_positions_count_characters_after_multibyte_text() -> None:
    sql = "COMMENT ON TABLE t IS 'café ☕';\n  -- lead comment\n  CREATE INDEX i ON t (a);"
    finding = next(f for f in lint_sql(sql).findings if f.rule == "require-concurrent-index-creation")
    assert (finding.line, finding.column) == (3, 3)
    assert finding.statement == "CREATE INDEX i ON t (a)"
    sql = "COMMENT ON TABLE t IS 'ééé'; ALTER TABLE t ADD COLUMN c char(2);"
    finding = next(f for f in lint_sql(sql).findings if f.rule == "ban-char-field")
    assert (finding.line, finding.column) == (1, 55)


def test_exclusions_are_reported_and_unknown_ids_rejected() -> None:
    report = lint_sql("CREATE INDEX i ON t (a);", exclude=["require-concurrent-index-creation", "prefer-robust-stmts"])
    assert report.rules_excluded == ["prefer-robust-stmts", "require-concurrent-index-creation"]
    assert "require-concurrent-index-creation" not in report.rules_run
    assert {f.rule for f in report.findings} == {"require-timeout-settings"}
    with pytest.raises(InvalidInput, match=r"unknown rule id.*no-such-rule"):
        lint_sql("SELECT 1;", exclude=["no-such-rule"])


def test_tables_created_in_the_same_file_are_exempt() -> None:
    sql = """
CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, a text);
CREATE INDEX IF NOT EXISTS t_a ON t (a);
ALTER TABLE t ALTER COLUMN a SET NOT NULL;
ALTER TABLE t ADD COLUMN IF NOT EXISTS b bigint NOT NULL;
ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a <> '');
"""
    assert [f.rule for f in lint_sql(sql).findings] == ["prefer-robust-stmts"]  # only the re-runnable ADD


def test_timeouts_set_earlier_satisfy_the_rule_and_reset_ones_do_not() -> None:
    ok = "SET lock_timeout = '2s';\nSET statement_timeout TO 60000;\nALTER TABLE t DROP COLUMN IF EXISTS x;"
    assert "require-timeout-settings" not in [f.rule for f in lint_sql(ok).findings]
    zero = "SET lock_timeout = 0;\nSET statement_timeout = '1min';\nALTER TABLE t DROP COLUMN IF EXISTS x;"
    finding = next(f for f in lint_sql(zero).findings if f.rule == "require-timeout-settings")
    assert "lock_timeout" in finding.message and "statement_timeout" not in finding.message
    local = (
        "BEGIN;\nSET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '1min';\nCOMMIT;\n"
        "ALTER TABLE t DROP COLUMN x;"
    )
    assert "require-timeout-settings" in [f.rule for f in lint_sql(local).findings]  # SET LOCAL ended at COMMIT


def test_timeout_finding_is_reported_once_per_file() -> None:
    sql = "ALTER TABLE a ADD COLUMN x text;\nALTER TABLE b ADD COLUMN y text;\nCREATE INDEX CONCURRENTLY i ON c (z);"
    assert [f.line for f in lint_sql(sql).findings if f.rule == "require-timeout-settings"] == [1]


def test_findings_carry_lock_blocks_safe_sql_and_citations() -> None:
    finding = lint_sql("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id);").findings
    fk = next(f for f in finding if f.rule == "adding-foreign-key-constraint")
    assert fk.lock == "SHARE ROW EXCLUSIVE" and "INSERT" in (fk.blocks or "")
    assert fk.safe_sql == (
        "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id) NOT VALID;\n"
        "-- then, in a separate transaction:\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT fk;"
    )
    assert [c.page for c in fk.citations] == ["adding-foreign-key-constraint", "lock-levels"]
    assert all(c.url for c in fk.citations)


def test_identifiers_in_safe_sql_are_quoted() -> None:
    finding = lint_sql('ALTER TABLE "Order Items" ALTER COLUMN "Qty" SET NOT NULL;').findings
    safe = next(f for f in finding if f.rule == "setting-not-nullable-field").safe_sql or ""
    assert 'ALTER TABLE "Order Items" ADD CONSTRAINT "Order Items_Qty_not_null" CHECK ("Qty" IS NOT NULL)' in safe


def test_a_failing_rule_is_reported_not_raised() -> None:
    def check(ctx: object) -> list:
        raise RuntimeError("boom")

    broken = SimpleNamespace(RULE=Rule(id="broken", severity="error", summary="", why="", fix=""), check=check)
    result = lint_text("SELECT 1;", rules=[broken, RULES["ban-drop-database"]], pg_version=16)
    assert result.findings == [] and "rule broken failed" in result.problems[0].message


def test_findings_are_capped_and_marked_truncated() -> None:
    sql = "".join(f"CREATE TABLE IF NOT EXISTS t{i} (a int);\n" for i in range(20))
    report = lint_sql(sql, max_findings=5)
    assert len(report.findings) == 5 and report.truncated


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_folder_is_linted_in_name_order_sharing_declared_column_types(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "002_widen.sql",
        "SET lock_timeout = '2s';\nSET statement_timeout = '1min';\n"
        "ALTER TABLE notes ALTER COLUMN title TYPE varchar(200);\nALTER TABLE notes ALTER COLUMN n TYPE bigint;\n",
    )
    _write(
        tmp_path,
        "001_create.sql",
        "CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, title varchar(50), n bigint);\n",
    )
    _write(tmp_path, "README.md", "not a migration")
    report = lint_paths([tmp_path], exclude=["prefer-text-field"])
    assert [Path(f).name for f in report.files] == ["001_create.sql", "002_widen.sql"]
    assert report.statements == 5
    # title grows (binary coercible) and n keeps its type: no rewrite; the table is not new in file 2
    assert report.findings == []


def test_unreadable_and_malformed_files_are_errors_and_the_rest_is_linted(tmp_path: Path) -> None:
    bad = _write(tmp_path, "a.sql", "ALTER TABLE t ADDD x;")
    binary = _write(tmp_path, "b.sql", b"\xff\xfe\x00garbage")
    good = _write(tmp_path, "c.sql", "DROP DATABASE x;")
    report = lint_paths([bad, binary, good])
    assert [(Path(e.file or "").name, e.line) for e in report.errors] == [("a.sql", 1), ("b.sql", None)]
    assert "cannot read" in report.errors[1].message
    assert [f.rule for f in report.findings] == ["ban-drop-database"]


def test_missing_paths_and_wrong_kinds_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file"):
        lint_paths([tmp_path / "nope.sql"])
    with pytest.raises(InvalidInput, match=r"only \.sql files"):
        lint_paths([_write(tmp_path, "x.txt", "DROP TABLE t;")])
    with pytest.raises(InvalidInput, match="no files given"):
        lint_paths([])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InvalidInput, match=r"no \.sql files"):
        lint_paths([empty])


def test_general_not_valid_rule_reports_what_excluded_specific_rules_would() -> None:
    sql = (
        "ALTER TABLE p ADD CONSTRAINT c CHECK (a > 0);\n"
        "ALTER TABLE p ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES q (id);"
    )
    default = [f.rule for f in lint_sql(sql).findings if "constraint" in f.rule]
    assert default == ["adding-check-constraint", "adding-foreign-key-constraint"]
    report = lint_sql(sql, exclude=["adding-check-constraint", "adding-foreign-key-constraint"])
    general = [(f.line, f.lock) for f in report.findings if f.rule == "constraint-missing-not-valid"]
    assert general == [(1, "ACCESS EXCLUSIVE"), (2, "SHARE ROW EXCLUSIVE")]


def test_assume_in_transaction_models_migration_tools_that_wrap_files() -> None:
    sql = "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nCOMMIT;"
    plain = {f.rule for f in lint_sql(sql).findings}
    wrapped = {f.rule for f in lint_sql(sql, assume_in_transaction=True).findings}
    assert plain == set()
    assert wrapped == {"ban-concurrent-index-creation-in-transaction", "transaction-nesting"}


def test_set_local_outside_a_transaction_does_not_count() -> None:
    sql = (
        "SET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '1min';\nALTER TABLE t DROP COLUMN IF EXISTS x;"
    )
    assert "require-timeout-settings" in [f.rule for f in lint_sql(sql).findings]


def test_a_folder_with_too_many_files_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pgsage.tools.lint import engine

    monkeypatch.setattr(engine, "MAX_FILES", 3)
    for i in range(5):
        _write(tmp_path, f"{i:03}.sql", "SELECT 1;")
    with pytest.raises(InvalidInput, match="more than 3"):
        lint_paths([tmp_path])


@pytest.mark.parametrize(
    ("sql", "lock"),
    [
        ("CREATE INDEX IF NOT EXISTS i ON t (a);", "SHARE"),
        ("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);", "SHARE UPDATE EXCLUSIVE"),
        ("ALTER TABLE t VALIDATE CONSTRAINT c;", "SHARE UPDATE EXCLUSIVE"),
        ("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES b (id) NOT VALID;", "SHARE ROW EXCLUSIVE"),
        ("ALTER TABLE t SET (fillfactor = 70), ADD COLUMN IF NOT EXISTS a text;", "ACCESS EXCLUSIVE"),
        ("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();", "SHARE ROW EXCLUSIVE"),
    ],
)
def test_timeout_finding_names_the_lock_the_statement_takes(sql: str, lock: str) -> None:
    finding = next(f for f in lint_sql(sql).findings if f.rule == "require-timeout-settings")
    assert finding.lock == lock and lock in finding.message and finding.blocks
