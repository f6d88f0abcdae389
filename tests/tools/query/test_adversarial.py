"""The adversarial suite: hostile inputs through execute_sql against a real PostgreSQL 15.

Each case must be rejected (or end in a read-only error, a timeout or a cap), and afterwards the
database and the tool's own session must be exactly as before: rows, sequences, objects, large
objects, advisory locks, settings, prepared statements, cursors, listeners, and another session that
must still be alive.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest

from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.errors import GuardRejected, InvalidInput, PgsageError, QueryFailed
from pgsage.tools.query import QueryLimits, execute_sql

SETUP = """
CREATE EXTENSION IF NOT EXISTS hypopg;
CREATE TABLE accounts (id bigserial PRIMARY KEY, owner text NOT NULL, balance numeric NOT NULL);
INSERT INTO accounts (owner, balance) SELECT 'owner ' || g, g * 10 FROM generate_series(1, 50) g;
CREATE TABLE audit (at timestamptz DEFAULT now(), what text);
CREATE FUNCTION wipe_accounts() RETURNS int LANGUAGE plpgsql VOLATILE AS
  $$ BEGIN DELETE FROM accounts; INSERT INTO audit (what) VALUES ('wiped'); RETURN 1; END $$;
CREATE PROCEDURE wipe() LANGUAGE sql AS $$ DELETE FROM accounts $$;
CREATE FUNCTION grab_lock() RETURNS boolean LANGUAGE sql VOLATILE AS
  $$ SELECT pg_advisory_lock(4242); SELECT true $$;
CREATE FUNCTION change_setting() RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT set_config('work_mem', '123MB', false) $$;
CREATE FUNCTION drain(a accounts) RETURNS int LANGUAGE sql VOLATILE AS
  $$ DELETE FROM accounts WHERE id = a.id RETURNING 1 $$;
CREATE VIEW wiping_view AS SELECT wipe_accounts() AS n;
CREATE VIEW locking_view AS SELECT grab_lock() AS locked;
CREATE VIEW setting_view AS SELECT change_setting() AS s;
CREATE VIEW sequence_view AS SELECT nextval('accounts_id_seq') AS n;
CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM accounts;
"""

LIMITS = QueryLimits(statement_timeout_ms=1000, lock_timeout_ms=200, max_rows=50, max_bytes=20_000)
PWN_FILE = f"/tmp/pgsage_pwned_{uuid.uuid4().hex[:8]}"

REJECT, READ_ONLY, TIMEOUT, CAPPED, HARMLESS = "reject", "read-only", "timeout", "capped", "harmless"


@dataclass(frozen=True)
class Case:
    sql: str
    outcome: str = REJECT
    words: tuple[str, ...] = ()  # must appear in the rejection (case-insensitive)
    victim_param: bool = False  # bind the other session's pid as $1


def case(sql: str, *words: str, outcome: str = REJECT, victim_param: bool = False) -> Case:
    return Case(sql, outcome, words, victim_param)


CASES: list[Case] = [
    # Several statements at once: the archived reference server's escape.
    case("SELECT 1; DROP TABLE accounts", "Multiple statements"),
    case("COMMIT; DROP TABLE accounts", "Multiple statements", "COMMIT"),
    case("ROLLBACK; DELETE FROM accounts", "Multiple statements"),
    case("END; CREATE TABLE pwn (a int)", "Multiple statements"),
    case("SELECT 1;\n-- harmless\nDELETE FROM accounts", "Multiple statements"),
    case("SELECT 1 /* ; */; UPDATE accounts SET balance = 0", "Multiple statements"),
    case("SELECT 'a;b'; TRUNCATE accounts", "Multiple statements"),
    case("SELECT $$;$$; DROP TABLE accounts", "Multiple statements"),
    case("SELECT 1 -- ; DROP TABLE accounts\n; DROP TABLE accounts", "Multiple statements"),
    case("TABLE accounts; DELETE FROM accounts", "Multiple statements"),
    # Transaction control and settings.
    case("COMMIT", "COMMIT"),
    case("BEGIN", "BEGIN"),
    case("START TRANSACTION READ WRITE", "START"),
    case("SET TRANSACTION READ WRITE", "SET"),
    case("SAVEPOINT s", "SAVEPOINT"),
    case("PREPARE TRANSACTION 'x'", "PREPARE"),
    case("SET statement_timeout = 0", "SET"),
    case("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "SET"),
    case("RESET ALL", "RESET"),
    case("SELECT set_config('statement_timeout', '0', false)", "set_config"),
    case("SELECT pg_catalog.set_config('default_transaction_read_only', 'off', false)", "set_config"),
    case("SeLeCt SET_CONFIG('work_mem', '1GB', false)", "set_config"),
    case("ALTER SYSTEM SET work_mem = '1GB'", "ALTER SYSTEM"),
    case("ALTER DATABASE CURRENT SET work_mem = '1GB'", "not a read"),
    # Plain writes and DDL.
    case("DELETE FROM accounts", "DELETE"),
    case("/* DROP */ DELETE /* x */ FROM accounts", "DELETE"),
    case("-- SELECT\nUPDATE accounts SET balance = 0", "UPDATE"),
    case("INSERT INTO accounts (owner, balance) VALUES ('x', 1)", "INSERT"),
    case("MERGE INTO accounts a USING (SELECT 1 AS id) s ON a.id = s.id WHEN MATCHED THEN DELETE", "MERGE"),
    case("TRUNCATE accounts", "TRUNCATE"),
    case("DROP TABLE accounts", "DROP"),
    case("ALTER TABLE accounts ADD COLUMN x int", "ALTER TABLE"),
    case("CREATE TABLE pwn AS SELECT * FROM accounts", "CREATE TABLE AS"),
    case("SELECT * INTO pwn FROM accounts", "INTO"),
    case("CREATE TEMP TABLE pwn (a int)", "CREATE TABLE"),
    case("GRANT ALL ON accounts TO PUBLIC", "GRANT"),
    case("CREATE FUNCTION pwn() RETURNS int LANGUAGE sql AS 'SELECT 1'", "CREATE FUNCTION"),
    case("CREATE EXTENSION dblink", "CREATE EXTENSION"),
    case("VACUUM accounts", "VACUUM"),
    case("ANALYZE accounts", "ANALYZE"),
    case("REFRESH MATERIALIZED VIEW mv", "REFRESH"),
    case("REINDEX TABLE accounts", "REINDEX"),
    case("CHECKPOINT", "CHECKPOINT"),
    case("DISCARD ALL", "DISCARD"),
    case("LOAD 'auto_explain'", "LOAD"),
    case("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE", "LOCK"),
    # Data-modifying CTEs and EXPLAIN ANALYZE of writes.
    case("WITH d AS (DELETE FROM accounts RETURNING *) SELECT count(*) FROM d", "DELETE", "WITH"),
    case("WITH u AS (UPDATE accounts SET balance = 0 RETURNING 1) SELECT 1", "UPDATE"),
    case("WITH i AS (INSERT INTO accounts (owner, balance) VALUES ('x', 1) RETURNING id) SELECT * FROM i", "INSERT"),
    case("WITH a AS (SELECT 1), b AS (WITH c AS (DELETE FROM accounts RETURNING 1) SELECT * FROM c) TABLE b", "DELETE"),
    case("EXPLAIN ANALYZE DELETE FROM accounts", "ANALYZE would run it"),
    case("EXPLAIN (ANALYZE, BUFFERS) UPDATE accounts SET balance = 0", "UPDATE"),
    case("EXPLAIN (ANALYZE true) INSERT INTO accounts (owner, balance) VALUES ('x', 1)", "INSERT"),
    case("EXPLAIN ANALYZE WITH d AS (DELETE FROM accounts RETURNING 1) SELECT * FROM d", "DELETE"),
    case("EXPLAIN ANALYZE CREATE TABLE pwn AS SELECT 1", "EXPLAIN"),
    case("EXPLAIN ANALYZE SELECT * FROM accounts FOR UPDATE", "Locking"),
    # DO, CALL, cursors, prepared statements, notifications.
    case("DO $$BEGIN DELETE FROM accounts; END$$", "DO"),
    case("CALL wipe()", "CALL"),
    case("PREPARE p AS DELETE FROM accounts", "PREPARE"),
    case("EXECUTE p", "EXECUTE"),
    case("DECLARE c CURSOR WITH HOLD FOR SELECT * FROM accounts", "DECLARE"),
    case("LISTEN ch", "LISTEN"),
    case("NOTIFY ch, 'x'", "NOTIFY"),
    case("SELECT pg_notify('ch', 'x')", "pg_notify"),
    # Sequences and transaction ids.
    case("SELECT nextval('accounts_id_seq')", "nextval"),
    case("SELECT setval('accounts_id_seq', 1000)", "setval"),
    case("SELECT * FROM accounts ORDER BY nextval('accounts_id_seq')", "nextval"),
    case("SELECT 1 WHERE EXISTS (SELECT nextval('accounts_id_seq'))", "nextval"),
    case("SELECT txid_current()", "txid_current"),
    case("SELECT pg_current_xact_id()", "pg_current_xact_id"),
    # Locking clauses.
    case("SELECT * FROM accounts FOR UPDATE", "Locking"),
    case("SELECT * FROM accounts FOR SHARE NOWAIT", "Locking"),
    case("SELECT * FROM accounts FOR NO KEY UPDATE SKIP LOCKED", "Locking"),
    case("SELECT * FROM (SELECT * FROM accounts FOR UPDATE) s", "Locking"),
    # Server files, programs, large objects, other databases.
    case("SELECT pg_read_file('/etc/passwd')", "pg_read_file"),
    case("SELECT pg_read_binary_file('/etc/passwd')", "pg_read_binary_file"),
    case("SELECT * FROM pg_ls_dir('.')", "pg_ls_dir"),
    case("SELECT pg_stat_file('postgresql.conf')", "pg_stat_file"),
    case("SELECT lo_import('/etc/passwd')", "lo_import"),
    case(f"SELECT lo_export(1234, '{PWN_FILE}')", "lo_export"),
    case("SELECT lo_create(0)", "lo_create"),
    case(f"COPY accounts TO PROGRAM 'touch {PWN_FILE}'", "COPY"),
    case(f"COPY (SELECT 1) TO '{PWN_FILE}'", "COPY"),
    case("COPY accounts FROM STDIN", "COPY"),
    case("SELECT * FROM dblink('dbname=postgres', 'DELETE FROM accounts') AS t(x text)", "dblink"),
    case("SELECT dblink_exec('dbname=postgres', 'DROP TABLE accounts')", "dblink_exec"),
    case("SELECT query_to_xml('DELETE FROM accounts RETURNING 1', true, false, '')", "query_to_xml"),
    # Advisory locks and other sessions.
    case("SELECT pg_advisory_lock(1)", "advisory"),
    case("SELECT pg_try_advisory_lock(1)", "advisory"),
    case("SELECT pg_advisory_xact_lock(1)", "advisory"),
    case("SELECT pg_catalog.pg_advisory_lock_shared(7)", "advisory"),
    case("SELECT pg_terminate_backend($1)", "pg_terminate_backend", victim_param=True),
    case("SELECT pg_cancel_backend(pid) FROM pg_stat_activity", "pg_cancel_backend"),
    case("SELECT pg_reload_conf()", "pg_reload_conf"),
    case("SELECT pg_rotate_logfile()", "pg_rotate_logfile"),
    case("SELECT pg_logical_emit_message(false, 'p', 'x')", "pg_logical_emit_message"),
    case("SELECT * FROM pg_create_logical_replication_slot('s', 'test_decoding')", "replication slot"),
    case("SELECT hypopg_create_index('CREATE INDEX ON accounts (owner)')", "hypopg_create_index"),
    # Obfuscation: comments, whitespace, case, quoting, unicode escapes, qualification.
    case("SELECT/**/pg_sleep(10)", "pg_sleep"),
    case("select\n\tPG_SLEEP\n(10)", "pg_sleep"),
    case('SELECT "pg_sleep"(10)', "pg_sleep"),
    case('SELECT U&"\\0070g_sleep"(10)', "pg_sleep"),
    case("SELECT pg_catalog . pg_sleep ( 10 )", "pg_sleep"),
    case("SELECT pg_sleep_for('10 seconds')", "pg_sleep_for"),
    case("SELECT E'\\';' ; DROP TABLE accounts", "Multiple statements"),
    # Functions hidden in every corner of a query.
    case("SELECT * FROM pg_sleep(5)", "pg_sleep"),
    case("SELECT * FROM accounts ORDER BY pg_sleep(1)", "pg_sleep"),
    case("SELECT CASE WHEN true THEN pg_advisory_lock(1) END", "advisory"),
    case("SELECT (SELECT set_config('a.b', 'c', false))", "set_config"),
    case("SELECT * FROM accounts a, LATERAL (SELECT pg_advisory_lock(a.id)) l", "advisory"),
    case("SELECT pg_advisory_lock(1)::text::int", "advisory"),
    case("SELECT count(*) FILTER (WHERE pg_sleep(1) IS NULL) FROM accounts", "pg_sleep"),
    case("SELECT sum(id) OVER (ORDER BY pg_sleep(1)) FROM accounts", "pg_sleep"),
    case("VALUES (pg_sleep(1))", "pg_sleep"),
    case("SELECT * FROM ROWS FROM (generate_series(1, 2), pg_sleep(1))", "pg_sleep"),
    case("SELECT ARRAY[pg_sleep(1)]", "pg_sleep"),
    case("SELECT id FROM accounts GROUP BY id HAVING pg_sleep(1) IS NULL", "pg_sleep"),
    case("WITH x AS (SELECT pg_sleep(1)) SELECT * FROM x", "pg_sleep"),
    case("SELECT id FROM accounts TABLESAMPLE evil_method(10)", "TABLESAMPLE"),
    # User-defined functions that write.
    case("SELECT wipe_accounts()", "wipe_accounts", "safe_functions"),
    case("SELECT public.wipe_accounts()", "wipe_accounts"),
    case("SELECT * FROM wipe_accounts()", "wipe_accounts"),
    # Side effects hidden in views: the parser cannot see them, the execution layer stops them.
    case("SELECT * FROM wiping_view", outcome=READ_ONLY),
    case("SELECT * FROM sequence_view", outcome=READ_ONLY),
    case("SELECT a.drain FROM accounts a", outcome=READ_ONLY),  # attribute notation: drain(a)
    case("SELECT * FROM setting_view", outcome=HARMLESS),  # rolled back
    case("SELECT * FROM locking_view", outcome=HARMLESS),  # session lock released before reuse
    # Huge results and long runs.
    case("SELECT g, repeat('x', 1000) FROM generate_series(1, 200000) g", outcome=CAPPED),
    case("SELECT * FROM generate_series(1, 100000) a, generate_series(1, 100000) b", outcome=CAPPED),
    case("SELECT repeat('x', 5000000)", outcome=CAPPED),
    case("SELECT count(*) FROM generate_series(1, 10000000000)", outcome=TIMEOUT),
    case("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r", outcome=TIMEOUT),
]


def test_the_suite_is_big_enough() -> None:
    assert len([c for c in CASES if c.outcome == REJECT]) >= 60
    assert len({c.sql for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
async def hostile_dsn(pg15_dsn: str) -> AsyncIterator[str]:
    name = f"t_hostile_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(pg15_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        dsn = pg15_dsn.rsplit("/", 1)[0] + f"/{name}"
        setup = await asyncpg.connect(dsn)
        try:
            await setup.execute(SETUP)
        finally:
            await setup.close()
        yield dsn
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="module")
async def observer(hostile_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """A separate session: reads the fingerprint, and must survive every case."""
    conn = await asyncpg.connect(hostile_dsn)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def tool_db(hostile_dsn: str) -> AsyncIterator[Database]:
    """The tool's pool, one connection, so the fingerprint sees the very session the tool used."""
    db = Database(DatabaseSettings(dsn=hostile_dsn, pool_max=1))
    try:
        yield db
    finally:
        await db.close()


_DATABASE_FINGERPRINT = """
SELECT (SELECT md5(string_agg(a::text, ',' ORDER BY id)) FROM accounts a) AS accounts,
       (SELECT count(*) FROM audit) AS audit,
       (SELECT last_value || '/' || is_called FROM accounts_id_seq) AS sequence,
       (SELECT n FROM mv) AS matview,
       (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace) AS relations,
       (SELECT count(*) FROM pg_class WHERE relpersistence = 't') AS temp_relations,
       (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace) AS functions,
       (SELECT count(*) FROM pg_largeobject_metadata) AS large_objects,
       (SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE l.locktype = 'advisory' AND d.datname = current_database()) AS advisory_locks,
       (SELECT count(*) FROM pg_db_role_setting) AS role_settings,
       (SELECT count(*) FROM pg_prepared_xacts) AS prepared_xacts,
       (SELECT count(*) FROM pg_replication_slots) AS slots,
       (SELECT count(*) FROM pg_extension) AS extensions,
       (SELECT pg_conf_load_time()) AS conf_loaded
"""

_SESSION_FINGERPRINT = """
SELECT (SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings WHERE source = 'session')
         AS settings,
       (SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory') AS own_locks,
       (SELECT count(*) FROM pg_prepared_statements WHERE name NOT LIKE '__asyncpg%') AS prepared,
       (SELECT count(*) FROM pg_cursors) AS cursors,
       (SELECT count(*) FROM pg_listening_channels()) AS listening,
       current_setting('transaction_read_only') AS read_only_default
"""


async def fingerprint(observer: asyncpg.Connection, tool_db: Database) -> dict[str, Any]:
    database = dict(await observer.fetchrow(_DATABASE_FINGERPRINT))
    async with tool_db.connection() as conn:
        session = dict(await conn.fetchrow(_SESSION_FINGERPRINT))
    return {**database, **session, "pwn_file": os.path.exists(PWN_FILE)}


@pytest.mark.parametrize("hostile", CASES, ids=[f"{i:03d}:{c.sql[:50]}" for i, c in enumerate(CASES)])
async def test_hostile_input_changes_nothing(hostile: Case, observer: asyncpg.Connection, tool_db: Database) -> None:
    before = await fingerprint(observer, tool_db)
    params = [await observer.fetchval("SELECT pg_backend_pid()")] if hostile.victim_param else None
    outcome: PgsageError | None = None
    result = None
    try:
        result = await execute_sql(tool_db, hostile.sql, params, limits=LIMITS)
    except PgsageError as exc:
        outcome = exc

    if hostile.outcome == REJECT:
        assert isinstance(outcome, GuardRejected | InvalidInput), f"not rejected: {result or outcome!r}"
        for word in hostile.words:
            assert word.lower() in str(outcome).lower(), str(outcome)
    elif hostile.outcome == READ_ONLY:
        assert isinstance(outcome, QueryFailed) and outcome.sqlstate == "25006", repr(outcome)
        assert "READ ONLY" in str(outcome)
    elif hostile.outcome == TIMEOUT:
        assert isinstance(outcome, QueryFailed) and outcome.sqlstate == "57014", repr(outcome)
    elif hostile.outcome == CAPPED:
        # Capped, or (on a loaded machine) stopped by statement_timeout: both keep the result bounded.
        if outcome is not None:
            assert isinstance(outcome, QueryFailed) and outcome.sqlstate == "57014", repr(outcome)
        else:
            assert result is not None and result.truncated
            assert len(result.model_dump_json()) < LIMITS.max_bytes * 2
    else:
        assert outcome is None and result is not None

    after = await fingerprint(observer, tool_db)
    assert after == before
    assert await observer.fetchval("SELECT 1") == 1  # the other session is alive


async def test_the_fingerprint_sees_changes(observer: asyncpg.Connection, tool_db: Database) -> None:
    """A control: the comparison above would fail if a case had changed anything it covers."""
    before = await fingerprint(observer, tool_db)
    writes = QueryLimits(allow_writes=True)
    await execute_sql(tool_db, "UPDATE accounts SET balance = balance + 1 WHERE id = 1", limits=writes)
    assert (await fingerprint(observer, tool_db))["accounts"] != before["accounts"]
    await execute_sql(tool_db, "UPDATE accounts SET balance = balance - 1 WHERE id = 1", limits=writes)
    async with tool_db.connection() as conn:
        await conn.execute("SET work_mem = '5MB'; SELECT pg_advisory_lock(5)")
        changed = {
            **dict(await observer.fetchrow(_DATABASE_FINGERPRINT)),
            **dict(await conn.fetchrow(_SESSION_FINGERPRINT)),
        }
        await conn.execute("RESET work_mem; SELECT pg_advisory_unlock(5)")
    assert changed["settings"] != before["settings"] and changed["own_locks"] == before["own_locks"] + 1
    assert changed["advisory_locks"] == before["advisory_locks"] + 1
    assert await fingerprint(observer, tool_db) == before
