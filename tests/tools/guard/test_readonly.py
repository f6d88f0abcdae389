"""Layer 1 alone: check_readonly on a table of SQL strings, no database."""

from __future__ import annotations

import pytest

from pgsage.tools.guard import SAFE_FUNCTIONS, check_readonly, check_write
from pgsage.tools.guard.safe_functions import ALWAYS_DENIED

# (sql, rule, words the reason must contain)
REJECTED: list[tuple[str, str, tuple[str, ...]]] = [
    ("SELECT 1; DROP TABLE t", "multiple-statements", ("Multiple statements", "DROP")),
    ("COMMIT; DROP TABLE t", "multiple-statements", ("COMMIT",)),
    ("SELECT 1;\n-- x\nDELETE FROM t", "multiple-statements", ("DELETE",)),
    ("SELECT 'a;b'; TRUNCATE t", "multiple-statements", ("TRUNCATE",)),
    ("SELECT $$;$$; DROP TABLE t", "multiple-statements", ("DROP",)),
    ("COMMIT", "statement-kind", ("COMMIT",)),
    ("BEGIN", "statement-kind", ("BEGIN",)),
    ("ROLLBACK", "statement-kind", ("ROLLBACK",)),
    ("SET statement_timeout = 0", "statement-kind", ("SET",)),
    ("RESET ALL", "statement-kind", ("SET/RESET",)),
    ("DELETE FROM t", "statement-kind", ("DELETE",)),
    ("INSERT INTO t VALUES (1)", "statement-kind", ("INSERT",)),
    ("UPDATE t SET a = 1", "statement-kind", ("UPDATE",)),
    ("MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE", "statement-kind", ("MERGE",)),
    ("COPY t TO PROGRAM 'id'", "statement-kind", ("COPY",)),
    ("COPY (SELECT 1) TO STDOUT", "statement-kind", ("COPY",)),
    ("DO $$BEGIN END$$", "statement-kind", ("DO",)),
    ("CALL p()", "statement-kind", ("CALL",)),
    ("LISTEN c", "statement-kind", ("LISTEN",)),
    ("NOTIFY c", "statement-kind", ("NOTIFY",)),
    ("PREPARE p AS SELECT 1", "statement-kind", ("PREPARE",)),
    ("EXECUTE p", "statement-kind", ("EXECUTE",)),
    ("DECLARE c CURSOR FOR SELECT 1", "statement-kind", ("DECLARE",)),
    ("LOCK TABLE t", "statement-kind", ("LOCK",)),
    ("VACUUM t", "statement-kind", ("VACUUM",)),
    ("ANALYZE t", "statement-kind", ("ANALYZE",)),
    ("CREATE TABLE x (a int)", "statement-kind", ("CREATE TABLE",)),
    ("DROP TABLE t", "statement-kind", ("DROP",)),
    ("ALTER TABLE t ADD COLUMN b int", "statement-kind", ("ALTER TABLE",)),
    ("CREATE TABLE x AS SELECT 1", "statement-kind", ("CREATE TABLE AS",)),
    ("SELECT 1 INTO x", "select-into", ("INTO",)),
    ("SELECT * FROM t FOR UPDATE", "locking-clause", ("FOR UPDATE",)),
    ("SELECT * FROM (SELECT * FROM t FOR SHARE) s", "locking-clause", ("Locking",)),
    ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "data-modifying-cte", ("DELETE", "WITH")),
    ("WITH a AS (SELECT 1), b AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT 1", "data-modifying-cte", ("INSERT",)),
    ("EXPLAIN ANALYZE DELETE FROM t", "explain-write", ("ANALYZE would run it",)),
    ("EXPLAIN DELETE FROM t", "explain-write", ("DELETE",)),
    ("EXPLAIN ANALYZE WITH d AS (DELETE FROM t RETURNING 1) SELECT * FROM d", "data-modifying-cte", ("DELETE",)),
    ("EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1", "statement-kind", ("EXPLAIN",)),
    ("SELECT set_config('a.b', 'c', false)", "denied-function", ("set_config", "setting")),
    ("SELECT pg_catalog.set_config('a.b', 'c', false)", "denied-function", ("pg_catalog.set_config",)),
    ("SELECT nextval('s')", "denied-function", ("nextval", "sequence")),
    ("SELECT setval('s', 1)", "denied-function", ("setval",)),
    ("SELECT pg_sleep(1)", "denied-function", ("pg_sleep",)),
    ('SELECT "pg_sleep"(1)', "denied-function", ("pg_sleep",)),
    ('SELECT U&"\\0070g_sleep"(1)', "denied-function", ("pg_sleep",)),
    ("select\n\tPG_SLEEP\n(1)", "denied-function", ("pg_sleep", "line 2")),
    ("SELECT/**/pg_sleep(1)", "denied-function", ("pg_sleep",)),
    ("SELECT pg_advisory_lock(1)", "denied-function", ("advisory",)),
    ("SELECT pg_try_advisory_xact_lock(1)", "denied-function", ("advisory",)),
    ("SELECT pg_terminate_backend(1)", "denied-function", ("terminates",)),
    ("SELECT pg_cancel_backend(1)", "denied-function", ("cancels",)),
    ("SELECT pg_reload_conf()", "denied-function", ("reloads",)),
    ("SELECT lo_import('/etc/passwd')", "denied-function", ("large objects",)),
    ("SELECT pg_read_file('/etc/passwd')", "denied-function", ("file",)),
    ("SELECT * FROM pg_ls_dir('.')", "denied-function", ("directory",)),
    ("SELECT * FROM dblink('x', 'DELETE FROM t') AS r(a text)", "denied-function", ("another database",)),
    ("SELECT txid_current()", "denied-function", ("transaction id",)),
    ("SELECT pg_current_xact_id()", "denied-function", ("transaction id",)),
    ("SELECT pg_notify('c', 'x')", "denied-function", ("notification",)),
    ("SELECT query_to_xml('DELETE FROM t', true, false, '')", "denied-function", ("dynamic SQL",)),
    ("SELECT pg_logical_emit_message(false, 'p', 'x')", "denied-function", ("logical",)),
    ("SELECT hypopg_create_index('CREATE INDEX ON t (a)')", "denied-function", ("hypothetical",)),
    ("SELECT my_func(1)", "unknown-function", ("my_func", "safe_functions")),
    ("SELECT app.lower('x')", "unknown-function", ("app.lower",)),
    # A built-in name qualified with a user schema names a user function, not the built-in.
    ("SELECT public.lower('x')", "unknown-function", ("public.lower",)),
    ("SELECT db.pg_catalog.lower('x')", "unknown-function", ("db.pg_catalog.lower",)),
    ("SELECT * FROM t ORDER BY pg_sleep(1)", "denied-function", ("pg_sleep",)),
    ("SELECT CASE WHEN true THEN pg_sleep(1) END", "denied-function", ("pg_sleep",)),
    ("SELECT * FROM t, LATERAL (SELECT pg_advisory_lock(t.a)) l", "denied-function", ("advisory",)),
    ("SELECT pg_sleep(1)::text::int", "denied-function", ("pg_sleep",)),
    ("SELECT count(*) FILTER (WHERE pg_sleep(1) IS NULL) FROM t", "denied-function", ("pg_sleep",)),
    ("SELECT sum(a) OVER (ORDER BY pg_sleep(1)) FROM t", "denied-function", ("pg_sleep",)),
    ("VALUES (pg_sleep(1))", "denied-function", ("pg_sleep",)),
    ("SELECT * FROM ROWS FROM (generate_series(1, 2), pg_sleep(1))", "denied-function", ("pg_sleep",)),
    ("SELECT ARRAY[nextval('s')]", "denied-function", ("nextval",)),
    ("SELECT 1 FROM t GROUP BY a HAVING pg_sleep(1) IS NULL", "denied-function", ("pg_sleep",)),
    ("WITH x AS (SELECT pg_sleep(1)) SELECT * FROM x", "denied-function", ("pg_sleep",)),
    ("SELECT * FROM t WHERE a IN (SELECT nextval('s'))", "denied-function", ("nextval",)),
    ("SELECT x FROM t TABLESAMPLE evil(1)", "unknown-function", ("TABLESAMPLE",)),
    ("SELECT 1 OPERATOR(public.===) 1", "unknown-operator", ("public.===",)),
    ("SELECT * FROM t ORDER BY a USING OPERATOR(app.<)", "unknown-operator", ("app.<",)),
    ("", "empty", ("empty",)),
    ("  -- only a comment", "empty", ("no statement",)),
    (";;", "empty", ("no statement",)),
    ("SELEC 1", "syntax", ("Syntax error",)),
    ("SELECT 'x" + "y" * 200_000 + "'", "too-long", ("limit",)),
]


@pytest.mark.parametrize(("sql", "rule", "words"), REJECTED, ids=[r[0][:60] for r in REJECTED])
def test_rejected_with_a_reason(sql: str, rule: str, words: tuple[str, ...]) -> None:
    result = check_readonly(sql)
    assert not result.allowed
    assert result.rule == rule, result.reason
    for word in words:
        assert word.lower() in (result.reason or "").lower(), result.reason


ALLOWED: list[tuple[str, str]] = [
    ("SELECT 1", "SELECT"),
    ("SELECT 1;", "SELECT"),
    ("VALUES (1), (2)", "VALUES"),
    ("TABLE t", "SELECT"),
    ("SHOW work_mem", "SHOW"),
    ("SHOW ALL", "SHOW"),
    ("EXPLAIN SELECT * FROM t", "EXPLAIN SELECT"),
    ("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM t", "EXPLAIN SELECT"),
    ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r", "SELECT"),
    ("SELECT a, rank() OVER (PARTITION BY b ORDER BY c DESC), lag(a) OVER w FROM t WINDOW w AS (ORDER BY a)", "SELECT"),
    ("SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY a), mode() WITHIN GROUP (ORDER BY b) FROM t", "SELECT"),
    ("SELECT * FROM t, LATERAL (SELECT * FROM u WHERE u.a = t.a LIMIT 3) x", "SELECT"),
    ("SELECT jsonb_path_query(doc, '$.a[*]'), doc->>'k', jsonb_agg(x) FROM t GROUP BY doc", "SELECT"),
    ("SELECT json_build_object('a', 1), to_jsonb(t) FROM t", "SELECT"),
    ("SELECT g FROM generate_series(1, 10) g", "SELECT"),
    ("SELECT pg_get_indexdef(indexrelid), pg_size_pretty(pg_relation_size(indexrelid)) FROM pg_index", "SELECT"),
    ("SELECT pg_catalog.format_type(atttypid, atttypmod) FROM pg_attribute", "SELECT"),
    ("SELECT current_setting('work_mem'), current_setting('x.y', true)", "SELECT"),
    ("SELECT has_table_privilege('t', 'SELECT'), obj_description('t'::regclass, 'pg_class')", "SELECT"),
    ("SELECT relname, n_live_tup, pg_stat_get_numscans(relid) FROM pg_stat_user_tables", "SELECT"),
    ("SELECT table_name FROM information_schema.tables WHERE table_schema = $1", "SELECT"),
    ("SELECT extract(year FROM now()), date_trunc('day', now()), now() AT TIME ZONE 'UTC'", "SELECT"),
    ("SELECT id FROM items ORDER BY embedding <-> '[1,2,3]' LIMIT 5", "SELECT"),
    ("SELECT l2_distance(embedding, '[1,2,3]'), public.cosine_distance(embedding, '[1,2,3]') FROM items", "SELECT"),
    ("SELECT currval('s')", "SELECT"),
    ("SELECT x FROM t TABLESAMPLE SYSTEM (10)", "SELECT"),
    ("SELECT coalesce(a, 0), nullif(b, 1), greatest(a, b), CAST(a AS text) FROM t", "SELECT"),
    ("SELECT * FROM t WHERE a = ANY($1::int[]) ORDER BY a USING <", "SELECT"),
    ("SELECT 1 OPERATOR(pg_catalog.+) 2", "SELECT"),
    ("SELECT  /* comment; with semicolon */ 1 -- trailing ; comment", "SELECT"),
    ("SELECT string_agg(DISTINCT a, ',' ORDER BY a) FILTER (WHERE a IS NOT NULL) FROM t", "SELECT"),
    ("SELECT * FROM t JOIN u USING (a) WHERE EXISTS (SELECT 1 FROM v WHERE v.a = t.a)", "SELECT"),
]


@pytest.mark.parametrize(("sql", "kind"), ALLOWED, ids=[a[0][:60] for a in ALLOWED])
def test_reads_are_allowed(sql: str, kind: str) -> None:
    result = check_readonly(sql)
    assert result.allowed, result.reason
    assert result.statement_kind == kind
    assert result.reason is None


def test_functions_are_listed() -> None:
    result = check_readonly("SELECT lower(a), count(*) FROM t GROUP BY lower(a)")
    assert set(result.functions) == {"lower", "count"}


def test_positions_count_characters_not_bytes() -> None:
    result = check_readonly("SELECT 'é', 'ü', my_func(1)")
    assert result.position == 18  # 20 if counted in UTF-8 bytes
    assert "character 18" in (result.reason or "")


def test_extra_safe_allows_a_named_function() -> None:
    assert not check_readonly("SELECT app.score(1)").allowed
    assert check_readonly("SELECT app.score(1)", ["app.score"]).allowed
    assert check_readonly("SELECT score(1)", ["score"]).allowed


def test_extra_safe_cannot_allow_a_denied_function() -> None:
    result = check_readonly("SELECT set_config('a.b', 'c', false)", ["set_config"])
    assert not result.allowed and result.rule == "denied-function"


def test_explain_analyze_is_reported() -> None:
    assert check_readonly("EXPLAIN ANALYZE SELECT 1").explain_analyze
    assert not check_readonly("EXPLAIN (ANALYZE false) SELECT 1").explain_analyze
    assert not check_readonly("EXPLAIN (ANALYZE off) DELETE FROM t").allowed  # a write, even unanalysed


def test_plan_only_accepts_writes_but_still_checks_functions() -> None:
    assert check_readonly("UPDATE t SET a = 1 WHERE b = 2", plan_only=True).allowed
    assert check_readonly("SELECT * FROM t FOR UPDATE", plan_only=True).allowed
    assert check_readonly("UPDATE t SET a = 1", plan_only=True).writes
    result = check_readonly("DELETE FROM t WHERE pg_sleep(1) IS NULL", plan_only=True)
    assert not result.allowed and result.rule == "denied-function"
    assert not check_readonly("DROP TABLE t", plan_only=True).allowed


def test_write_mode_check() -> None:
    assert check_write("UPDATE t SET a = 1").allowed
    assert check_write("CREATE INDEX ON t (a)").allowed
    assert not check_write("SELECT 1; SELECT 2").allowed
    assert check_write("COMMIT").rule == "statement-kind"
    assert check_write("COPY t TO PROGRAM 'id'").rule == "statement-kind"
    assert check_write("SELECT pg_terminate_backend(1)").rule == "denied-function"
    assert check_write("SELECT my_func()").allowed  # write mode: user functions may write


def test_the_allow_and_deny_lists_do_not_overlap() -> None:
    assert not SAFE_FUNCTIONS & set(ALWAYS_DENIED)
    assert all(name == name.lower() for name in SAFE_FUNCTIONS)
