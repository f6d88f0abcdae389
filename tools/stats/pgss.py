"""Whether pg_stat_statements can answer here, and if not, exactly what the user has to change."""

from __future__ import annotations

import asyncpg

from ..plumbing import CompactModel, load_sql

__all__ = ["PgssStatus", "pgss_status", "pgss_version_tuple"]

_PKG = "pgsage.tools.stats"

_STATUS_SQL = """
SELECT e.extversion AS installed_version, n.nspname AS schema,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'pg_stat_statements') AS available_version
FROM (SELECT 1) AS one
LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements'
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
"""

SETUP_HINT = (
    "Add pg_stat_statements to shared_preload_libraries in postgresql.conf (for example "
    "shared_preload_libraries = 'pg_stat_statements'), restart PostgreSQL, then run "
    "CREATE EXTENSION pg_stat_statements; in this database."
)


class PgssStatus(CompactModel):
    usable: bool
    installed_version: str | None = None
    available_version: str | None = None
    schema: str | None = None
    reason: str | None = None


def pgss_version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


async def pgss_status(conn: asyncpg.Connection) -> PgssStatus:
    """Probe inside a savepoint (the caller holds a transaction), so a failure leaves it usable."""
    row = await conn.fetchrow(_STATUS_SQL)
    installed, schema, available = row["installed_version"], row["schema"], row["available_version"]
    if installed is None:
        if available is None:
            reason = (
                "The pg_stat_statements extension is not available on this server (install the PostgreSQL "
                "contrib package). " + SETUP_HINT
            )
        else:
            reason = "pg_stat_statements is not installed in this database. " + SETUP_HINT
        return PgssStatus(usable=False, available_version=available, reason=reason)
    version = pgss_version_tuple(installed)
    if version < (1, 8):
        return PgssStatus(
            usable=False,
            installed_version=installed,
            available_version=available,
            schema=schema,
            reason=(
                f"pg_stat_statements {installed} is older than 1.8; run ALTER EXTENSION pg_stat_statements "
                "UPDATE; to get the column names pgsage reads."
            ),
        )
    probe = load_sql(_PKG, "pgss_probe_1_9" if version >= (1, 9) else "pgss_probe_1_8")
    try:
        async with conn.transaction():
            # Local to the transaction: resolves the view wherever the extension was installed.
            await conn.execute("SELECT set_config('search_path', 'pg_catalog, ' || quote_ident($1), true)", schema)
            await conn.fetch(probe)
    except asyncpg.ObjectNotInPrerequisiteStateError:
        return PgssStatus(
            usable=False,
            installed_version=installed,
            available_version=available,
            schema=schema,
            reason="pg_stat_statements is installed but its library is not loaded. " + SETUP_HINT,
        )
    except asyncpg.InsufficientPrivilegeError as exc:
        return PgssStatus(
            usable=False,
            installed_version=installed,
            schema=schema,
            reason=f"No privilege to read pg_stat_statements ({exc}); grant pg_read_all_stats to this role.",
        )
    return PgssStatus(usable=True, installed_version=installed, available_version=available, schema=schema)
