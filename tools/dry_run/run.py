"""Apply a migration, statement by statement, on a scratch database and report what really happened.

For each statement it records what PostgreSQL really did: the error if any, the relation locks the
statement added (read from pg_locks while the transaction still holds them), the tables and indexes it
rewrote (relfilenode changed) and how long it took. The user's live database is only ever read by
pg_dump --schema-only; the migration runs on a throwaway copy in the embedded sandbox (dropped afterwards)
or, inside one transaction that is rolled back, on a scratch database the user names.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

import asyncpg
import pglast
from pglast.parser import ParseError, parse_sql_json
from pglast.stream import RawStream
from pydantic import BaseModel

from ..database import Database
from ..dsn import redact_dsn, scrub
from ..errors import DatabaseUnavailable, InvalidInput, PgsageError
from ..plumbing import CompactModel
from ..sandbox import Sandbox
from .schema_copy import copy_schema

__all__ = ["DryRunReport", "LockTaken", "StatementOutcome", "dry_run_migration", "split_statements"]

_MAX_STATEMENTS = 500
_DRY_RUN_ROLE = "pgsage_dry_run"
_SNIPPET = 160
SCHEMA_ONLY_NOTE = (
    "Ran on a schema-only copy: durations reflect empty tables. On real data a rewrite or a validation "
    "takes time proportional to the table's size while its lock is held."
)


class LockTaken(CompactModel):
    relation: str
    mode: str


class StatementOutcome(CompactModel):
    index: int
    line: int
    statement: str
    ok: bool
    duration_ms: float
    locks: list[LockTaken] = []
    rewritten: list[str] = []
    error: str | None = None
    sqlstate: str | None = None
    note: str | None = None


class DryRunReport(BaseModel):  # reports keep empty lists: 'no findings' is an answer
    target: str
    statements: list[StatementOutcome]
    errors: int
    rewrites: int
    schema_warnings: list[str] = []
    note: str = SCHEMA_ONLY_NOTE


@dataclass(frozen=True)
class _Statement:
    text: str
    line: int
    kind: str
    tree: dict


def _sql(name: str) -> str:
    return resources.files(__package__).joinpath("sql", name).read_text(encoding="utf-8")


def split_statements(sql: str) -> list[_Statement]:
    """Statements with their 1-based line, parsed once with pglast."""
    try:
        parsed = json.loads(parse_sql_json(sql))
    except ParseError as exc:
        message, offset = exc.args[0], exc.args[1] if len(exc.args) > 1 else 0
        before = sql[:offset]  # pglast reports a 0-based character offset
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise InvalidInput(f"The migration does not parse: {message} (line {line}, col {column})") from None
    raw = sql.encode("utf-8")
    result = []
    for item in parsed.get("stmts", []):
        start = item.get("stmt_location", 0)
        length = item.get("stmt_len") or len(raw) - start
        text = raw[start : start + length].decode("utf-8").strip()
        leading = len(raw[start : start + length].decode("utf-8")) - len(
            raw[start : start + length].decode("utf-8").lstrip()
        )
        line = raw[:start].decode("utf-8").count("\n") + 1
        line += raw[start : start + leading].decode("utf-8").count("\n") if leading else 0
        node = item["stmt"]
        kind = next(iter(node))
        result.append(_Statement(text, line, kind, node[kind]))
    return result


def _concurrent(stmt: _Statement) -> bool:
    if stmt.kind in ("IndexStmt", "DropStmt"):
        return bool(stmt.tree.get("concurrent"))
    if stmt.kind == "ReindexStmt":
        return any((p.get("DefElem") or {}).get("defname") == "concurrently" for p in stmt.tree.get("params", []))
    return False


def _in_transaction_form(stmt: _Statement) -> str:
    """The same statement without CONCURRENTLY, so its effect is visible to later statements."""
    node = pglast.parse_sql(stmt.text)[0].stmt
    if stmt.kind == "ReindexStmt":
        node.params = tuple(p for p in (node.params or ()) if p.defname != "concurrently") or None
    else:
        node.concurrent = False
    return RawStream()(node)


_SKIPPED = {
    "TransactionStmt": "transaction control is managed by the dry run (everything runs in one transaction)",
    "VacuumStmt": "VACUUM/ANALYZE cannot run in a transaction block; skipped",
    "CreatedbStmt": "CREATE DATABASE is outside a migration's scope; skipped",
    "DropdbStmt": "DROP DATABASE is never run, not even on a scratch copy",
    "CopyStmt": "COPY is not run in a dry run",
}

_CONCURRENT_NOTE = (
    "CONCURRENTLY cannot run in a transaction block: executed here without it to apply its effect. The real "
    "statement takes SHARE UPDATE EXCLUSIVE on the table (reads and writes continue) and waits for running "
    "transactions, and must run outside any transaction."
)


async def _snapshot(conn: asyncpg.Connection) -> dict[int, tuple[str, str, int]]:
    rows = await conn.fetch(_sql("relfilenodes.sql"))
    return {r["oid"]: (r["name"], r["kind"], r["relfilenode"]) for r in rows}


async def _locks(conn: asyncpg.Connection) -> set[tuple[str, str]]:
    return {(r["relation"], r["mode"]) for r in await conn.fetch(_sql("held_locks.sql"))}


async def _execute_one(conn: asyncpg.Connection, index: int, stmt: _Statement) -> StatementOutcome:
    """Run one statement in the caller's transaction, inside a savepoint so a failure is contained."""
    snippet = stmt.text if len(stmt.text) <= _SNIPPET else stmt.text[: _SNIPPET - 3] + "..."
    if stmt.kind in _SKIPPED:
        return StatementOutcome(
            index=index, line=stmt.line, statement=snippet, ok=True, duration_ms=0.0, note=_SKIPPED[stmt.kind]
        )
    text, note = stmt.text, None
    if _concurrent(stmt):
        text, note = _in_transaction_form(stmt), _CONCURRENT_NOTE
    before_files = await _snapshot(conn)
    before_locks = await _locks(conn)
    started = time.perf_counter()
    error = sqlstate = None
    try:
        async with conn.transaction():
            await conn.execute(text)
            after_locks = await _locks(conn)
            after_files = await _snapshot(conn)
    except asyncpg.PostgresError as exc:
        error, sqlstate = str(exc), exc.sqlstate
        after_locks, after_files = before_locks, before_files
    elapsed = (time.perf_counter() - started) * 1000
    rewritten = sorted(
        after_files[oid][0]
        for oid, (_, _, node) in before_files.items()
        if oid in after_files and after_files[oid][2] != node
    )
    return StatementOutcome(
        index=index,
        line=stmt.line,
        statement=snippet,
        ok=error is None,
        duration_ms=round(elapsed, 2),
        locks=[LockTaken(relation=r, mode=m) for r, m in sorted(after_locks - before_locks)],
        rewritten=rewritten,
        error=error,
        sqlstate=sqlstate,
        note=note,
    )


async def _apply_isolated(conn: asyncpg.Connection, statements: list[_Statement]) -> list[StatementOutcome]:
    """Each statement in its own committed transaction: the locks shown are exactly that statement's.
    Only for throwaway databases (the sandbox copy is dropped afterwards)."""
    outcomes = []
    for index, stmt in enumerate(statements, 1):
        async with conn.transaction():
            outcomes.append(await _execute_one(conn, index, stmt))
    return outcomes


async def _apply_rolled_back(conn: asyncpg.Connection, statements: list[_Statement]) -> list[StatementOutcome]:
    """All statements in one transaction that is rolled back: nothing is left behind. A lock that an
    earlier statement already holds is not shown again for a later one."""
    outcomes: list[StatementOutcome] = []
    try:
        async with conn.transaction():
            for index, stmt in enumerate(statements, 1):
                outcomes.append(await _execute_one(conn, index, stmt))
            raise _Rollback()
    except _Rollback:
        pass
    return outcomes


class _Rollback(Exception):
    """Raised inside the transaction so that asyncpg rolls it back."""


def _same_database(a: str, b: str) -> bool:
    def key(dsn: str) -> tuple[str, int, str]:
        parts = urlsplit(dsn if "://" in dsn else f"postgresql://{dsn}")
        return (parts.hostname or "localhost", parts.port or 5432, parts.path.lstrip("/"))

    try:
        return key(a) == key(b)
    except ValueError:
        return False


async def dry_run_migration(
    sql: str,
    *,
    live: Database | None,
    scratch_dsn: str | None = None,
    sandbox: Callable[[], Awaitable[Sandbox]] | None = None,
    statement_timeout_ms: int = 60_000,
) -> DryRunReport:
    """Dry-run `sql` on `scratch_dsn` (rolled back) or on a sandbox copy of the live schema (dropped)."""
    if not sql or not sql.strip():
        raise InvalidInput("Give the migration SQL to dry-run.")
    statements = split_statements(sql)
    if not statements:
        raise InvalidInput("The migration contains no statements (only comments or whitespace).")
    if len(statements) > _MAX_STATEMENTS:
        raise InvalidInput(f"The migration has {len(statements)} statements; dry-run at most {_MAX_STATEMENTS}.")
    live_dsn = live.settings.dsn if live is not None and live.configured else None
    if scratch_dsn:
        if live_dsn and _same_database(scratch_dsn, live_dsn):
            raise InvalidInput(
                "dsn names the live database; a dry run needs a scratch database (or none, "
                "to use the embedded sandbox)."
            )
        forbidden = await _identity_of(live) if live_dsn and live is not None else None
        outcomes = await _run_on(scratch_dsn, statements, statement_timeout_ms, isolated=False, forbidden=forbidden)
        return _report(f"scratch database {redact_dsn(scratch_dsn)} (one transaction, rolled back)", outcomes, [])
    if sandbox is None:
        raise InvalidInput("No scratch database: pass dsn=, or install the sandbox extra (pgsage[sandbox]).")
    box = await sandbox()
    name = f"pgsage_dryrun_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(box.dsn)
    try:
        target = await _unprivileged_scratch(admin, box, name)
        warnings: list[str] = []
        if live_dsn:
            warnings = await copy_schema(live_dsn, target, box.bin_dir)
            where = f"sandbox PostgreSQL 18 with the schema of {redact_dsn(live_dsn)}"
        else:
            where = "empty sandbox PostgreSQL 18 database (no live database configured)"
        outcomes = await _run_on(target, statements, statement_timeout_ms, isolated=True)
        return _report(where + " (dropped afterwards)", outcomes, warnings)
    finally:
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def _unprivileged_scratch(admin: asyncpg.Connection, box: Sandbox, name: str) -> str:
    """A fresh database owned by a role without superuser rights, and its DSN for that role.

    The migration is untrusted input: run as the sandbox's superuser, COPY ... TO PROGRAM or a DO block
    could run commands on this machine. As an ordinary owner it can change only its own scratch schema.
    """
    exists = await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", _DRY_RUN_ROLE)
    if not exists:
        await admin.execute(f"CREATE ROLE {_DRY_RUN_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    else:
        # The role outlives each scratch database: a previous migration may have run ALTER ROLE CURRENT_USER SET
        # (search_path, default_transaction_read_only, ...), which must not leak into this dry run.
        await admin.execute(f"ALTER ROLE {_DRY_RUN_ROLE} RESET ALL")
    await admin.execute(f'CREATE DATABASE "{name}" OWNER {_DRY_RUN_ROLE}')
    setup = await asyncpg.connect(box.database_dsn(name))
    try:
        # Extensions need a superuser; the dump's own CREATE EXTENSION IF NOT EXISTS then finds it present.
        await setup.execute("CREATE EXTENSION IF NOT EXISTS vector")
        await setup.execute(f"ALTER SCHEMA public OWNER TO {_DRY_RUN_ROLE}")
    finally:
        await setup.close()
    return box.database_dsn(name, user=_DRY_RUN_ROLE)


# The same database whatever the DSN's spelling (localhost vs 127.0.0.1, URL vs key=value): the postmaster's
# start time identifies the server instance, and any role may read these.
_IDENTITY_SQL = "SELECT current_database(), pg_postmaster_start_time(), inet_server_port()"


async def _identity_of(live: Database) -> tuple[object, ...] | None:
    try:
        row = await live.run(lambda conn: conn.fetchrow(_IDENTITY_SQL))
    except PgsageError:
        return None  # the live database is down: the DSN comparison above is all that can be checked
    return tuple(row) if row is not None else None


async def _run_on(
    dsn: str,
    statements: list[_Statement],
    timeout_ms: int,
    *,
    isolated: bool,
    forbidden: tuple[object, ...] | None = None,
) -> list[StatementOutcome]:
    try:
        conn = await asyncpg.connect(
            dsn,
            timeout=10,
            server_settings={"statement_timeout": str(timeout_ms), "application_name": "pgsage-dry-run"},
        )
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError, ValueError) as exc:
        raise DatabaseUnavailable(f"Cannot reach the scratch database: {scrub(str(exc), dsn)}") from None
    try:
        if forbidden is not None and tuple(await conn.fetchrow(_IDENTITY_SQL)) == forbidden:
            raise InvalidInput(
                "dsn names the live database (under another spelling); a dry run needs a scratch database (or "
                "none, to use the embedded sandbox)."
            )
        if isolated:
            return await _apply_isolated(conn, statements)
        return await _apply_rolled_back(conn, statements)
    finally:
        await conn.close()


def _report(target: str, outcomes: list[StatementOutcome], warnings: list[str]) -> DryRunReport:
    return DryRunReport(
        target=target,
        statements=outcomes,
        errors=sum(1 for o in outcomes if not o.ok),
        rewrites=sum(len(o.rewritten) for o in outcomes),
        schema_warnings=list(dict.fromkeys(warnings))[:20],
    )
