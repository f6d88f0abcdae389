"""The connection pool to the user's database: created lazily, shared, and rebuilt after an outage.

A missing or unreachable database is a normal state for pgsage: every failure here becomes a
`DatabaseProblem` whose message says what to do, never a crash, and never shows the DSN password.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

import asyncpg

from .dsn import dsn_password, redact_dsn, scrub
from .errors import DatabaseUnavailable, NoDatabaseConfigured, QueryFailed

__all__ = ["CONNECTION_LOST_ERRORS", "Database", "DatabaseSettings", "query_failed"]

T = TypeVar("T")

# Errors after which the connection (or the whole pool) cannot be trusted any more.
CONNECTION_LOST_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    ConnectionError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,
    asyncpg.AdminShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.CrashShutdownError,
    # A pooled connection whose backend was terminated while idle (pg_terminate_backend, a restart) can
    # surface as "cannot switch to state ...; another operation is in progress" on its next use.
    asyncpg.InternalClientError,
)


@dataclass(frozen=True)
class DatabaseSettings:
    dsn: str | None
    pool_min: int = 0
    pool_max: int = 4
    statement_timeout_ms: int = 15_000
    lock_timeout_ms: int = 2_000
    idle_in_transaction_timeout_ms: int = 30_000
    connect_timeout_s: float = 5.0
    application_name: str = "pgsage"


def query_failed(exc: asyncpg.PostgresError, *secrets: str | None) -> QueryFailed:
    """A PostgreSQL error as the agent should read it: SQLSTATE, message, detail and hint."""
    parts = [f"PostgreSQL error {exc.sqlstate}: {exc.args[0] if exc.args else exc}"]
    detail = getattr(exc, "detail", None)
    hint = getattr(exc, "hint", None)
    if detail:
        parts.append(f"Detail: {detail}")
    if hint:
        parts.append(f"Hint: {hint}")
    return QueryFailed(scrub(" ".join(parts), *secrets), sqlstate=exc.sqlstate)


class Database:
    """One lazily created asyncpg pool; safe to share between MCP sessions."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self.settings = settings
        self._password = dsn_password(settings.dsn)
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()
        self._version_num: int | None = None

    @property
    def configured(self) -> bool:
        return bool(self.settings.dsn)

    @property
    def display_dsn(self) -> str:
        return redact_dsn(self.settings.dsn)

    def scrub(self, text: str) -> str:
        return scrub(text, self._password, self.settings.dsn)

    def _session_settings(self) -> dict[str, str]:
        s = self.settings
        return {
            "application_name": s.application_name,
            "statement_timeout": str(s.statement_timeout_ms),
            "lock_timeout": str(s.lock_timeout_ms),
            "idle_in_transaction_session_timeout": str(s.idle_in_transaction_timeout_ms),
        }

    async def _get_pool(self) -> asyncpg.Pool:
        if not self.settings.dsn:
            raise NoDatabaseConfigured()
        if self._pool is not None:
            return self._pool
        async with self._lock:
            if self._pool is None:
                try:
                    pool = await asyncpg.create_pool(
                        self.settings.dsn,
                        min_size=self.settings.pool_min,
                        max_size=self.settings.pool_max,
                        timeout=self.settings.connect_timeout_s,
                        server_settings=self._session_settings(),
                        max_inactive_connection_lifetime=120.0,
                    )
                except (asyncpg.PostgresError, *CONNECTION_LOST_ERRORS, TimeoutError, ValueError) as exc:
                    raise self._unavailable(exc) from None
                try:
                    # With pool_min=0 nothing has connected yet; a malformed DSN (port "abc", "[::1") would
                    # raise a bare ValueError at the first acquire, inside the caller's work. Connect once here.
                    async with pool.acquire(timeout=self.settings.connect_timeout_s):
                        pass
                except (asyncpg.PostgresError, *CONNECTION_LOST_ERRORS, TimeoutError, ValueError) as exc:
                    pool.terminate()
                    if isinstance(exc, asyncpg.PostgresError) and not isinstance(exc, CONNECTION_LOST_ERRORS):
                        raise query_failed(exc, self._password) from None
                    raise self._unavailable(exc) from None
                self._pool = pool
        assert self._pool is not None
        return self._pool

    def _unavailable(self, exc: BaseException) -> DatabaseUnavailable:
        reason = self.scrub(f"{type(exc).__name__}: {exc}")
        return DatabaseUnavailable(
            f"Cannot reach the database {self.display_dsn} ({reason}). Check that it is running and that "
            "the DSN, user and password are right; pgsage retries on the next call."
        )

    async def _discard_pool(self) -> None:
        pool, self._pool = self._pool, None
        self._version_num = None
        if pool is not None:
            pool.terminate()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection; connection-level failures become DatabaseUnavailable.

        PostgreSQL errors raised inside the block become QueryFailed with the SQLSTATE kept.
        """
        pool = await self._get_pool()
        try:
            async with pool.acquire(timeout=self.settings.connect_timeout_s) as conn:
                yield conn
        except asyncpg.PostgresError as exc:
            if isinstance(exc, CONNECTION_LOST_ERRORS):
                await self._discard_pool()
                raise self._unavailable(exc) from None
            raise query_failed(exc, self._password) from None
        except (*CONNECTION_LOST_ERRORS, TimeoutError) as exc:
            await self._discard_pool()
            raise self._unavailable(exc) from None

    async def run(self, work: Callable[[asyncpg.Connection], Awaitable[T]], *, retry: bool = True) -> T:
        """Run read-only `work` on a connection, retrying once on a fresh pool after a lost connection.

        Only for work that is safe to repeat: the retry is what makes a restarted database transparent.
        """
        try:
            async with self.connection() as conn:
                return await work(conn)
        except DatabaseUnavailable:
            if not retry:
                raise
            async with self.connection() as conn:
                return await work(conn)

    async def server_version_num(self) -> int:
        if self._version_num is None:
            self._version_num = int(await self.run(lambda c: c.fetchval("SHOW server_version_num")))
        return self._version_num

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), timeout=5)
            except (TimeoutError, *CONNECTION_LOST_ERRORS):
                pool.terminate()
