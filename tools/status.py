"""Whether a database is configured and reachable, and what it is: the first thing an agent asks."""

from __future__ import annotations

import asyncpg

from .database import Database
from .errors import DatabaseProblem
from .plumbing import CompactModel

__all__ = ["DatabaseStatus", "database_status"]

_IDENTITY_SQL = """
SELECT current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       current_database() AS database,
       current_user AS role,
       r.rolsuper AS superuser,
       r.rolbypassrls AS bypass_rls,
       pg_is_in_recovery() AS in_recovery
FROM pg_roles r
WHERE r.rolname = current_user
"""


class DatabaseStatus(CompactModel):
    configured: bool
    reachable: bool
    dsn: str | None = None
    server_version: str | None = None
    server_version_num: int | None = None
    database: str | None = None
    role: str | None = None
    superuser: bool | None = None
    bypass_rls: bool | None = None
    in_recovery: bool | None = None
    problem: str | None = None


async def database_status(db: Database) -> DatabaseStatus:
    """Never raises for an absent or broken database: it reports it."""
    if not db.configured:
        return DatabaseStatus(configured=False, reachable=False, problem="no database configured")

    async def read(conn: asyncpg.Connection) -> asyncpg.Record | None:
        return await conn.fetchrow(_IDENTITY_SQL)

    try:
        row = await db.run(read)
    except DatabaseProblem as exc:
        return DatabaseStatus(configured=True, reachable=False, dsn=db.display_dsn, problem=str(exc))
    return DatabaseStatus(configured=True, reachable=True, dsn=db.display_dsn, **dict(row or {}))
