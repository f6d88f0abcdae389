"""`db_overview`: what the agent should know about the database before planning anything."""

from __future__ import annotations

import asyncpg
from pydantic import Field

from ..database import Database
from ..plumbing import CompactModel, jsonable, load_sql, read_only, shrink_lists
from ..stats.pgss import PgssStatus, pgss_status

__all__ = ["IMPORTANT_SETTINGS", "DbOverview", "Extension", "RoleInfo", "SchemaSummary", "db_overview"]

_PKG = "pgsage.tools.catalog"
_MAX_SCHEMAS = 200

IMPORTANT_SETTINGS: tuple[str, ...] = (
    "autovacuum",
    "checkpoint_timeout",
    "default_statistics_target",
    "effective_cache_size",
    "effective_io_concurrency",
    "jit",
    "maintenance_work_mem",
    "max_connections",
    "max_parallel_workers_per_gather",
    "max_wal_size",
    "random_page_cost",
    "server_encoding",
    "shared_buffers",
    "shared_preload_libraries",
    "TimeZone",
    "track_io_timing",
    "wal_level",
    "work_mem",
)


class RoleInfo(CompactModel):
    name: str
    superuser: bool
    bypass_rls: bool
    create_role: bool
    create_db: bool
    replication: bool
    predefined_roles: list[str] = Field(default_factory=list)


class Extension(CompactModel):
    name: str
    version: str
    schema: str | None = None
    update_available: str | None = None


class SchemaSummary(CompactModel):
    schema: str
    owner: str
    extension: str | None = None
    # Zero counts are left out (None) so the JSON stays short.
    tables: int | None = None
    partitioned_tables: int | None = None
    views: int | None = None
    materialized_views: int | None = None
    sequences: int | None = None
    foreign_tables: int | None = None
    indexes: int | None = None
    functions: int | None = None


class DbOverview(CompactModel):
    server_version: str
    server_version_num: int
    database: str
    database_bytes: int
    in_recovery: bool
    uptime_seconds: int | None = None
    role: RoleInfo
    settings: dict[str, str]
    extensions: list[Extension]
    available_extensions: dict[str, str]
    schemas: list[SchemaSummary]
    pg_stat_statements: PgssStatus
    hypopg: str
    warnings: list[str] = Field(default_factory=list)
    truncated: bool = False


def _role_warnings(role: RoleInfo) -> list[str]:
    warnings: list[str] = []
    if role.superuser:
        warnings.append(
            f"Connected as superuser {role.name}: pgsage stays read-only, but a least-privilege role "
            "(member of pg_monitor, with SELECT on the application schemas) is safer."
        )
    if role.bypass_rls and not role.superuser:
        warnings.append(
            f"Role {role.name} has BYPASSRLS: row-level security policies do not apply, so results can "
            "include rows the application's users cannot see."
        )
    elif role.superuser:
        warnings.append("Superusers bypass row-level security: results can include rows users cannot see.")
    if not role.superuser and not {"pg_monitor", "pg_read_all_stats"} & set(role.predefined_roles):
        warnings.append(
            "This role is not a member of pg_read_all_stats/pg_monitor: other sessions' queries and "
            "statistics are hidden from activity, top_queries and health_check."
        )
    return warnings


async def db_overview(db: Database, max_bytes: int = 64_000) -> DbOverview:
    """Server, settings, extensions, schemas and role in four catalog queries (independent of size)."""

    async def work(conn: asyncpg.Connection) -> DbOverview:
        head = await conn.fetchrow(load_sql(_PKG, "overview"), list(IMPORTANT_SETTINGS))
        ext_rows = await conn.fetch(load_sql(_PKG, "extensions"))
        schema_rows = await conn.fetch(load_sql(_PKG, "schemas"), _MAX_SCHEMAS + 1)
        pgss = await pgss_status(conn)
        return _assemble(head, ext_rows, schema_rows, pgss)

    result = await read_only(db, work)
    if shrink_lists(result, ("schemas",), max_bytes):
        result.truncated = True
    return result


def _assemble(
    head: asyncpg.Record,
    ext_rows: list[asyncpg.Record],
    schema_rows: list[asyncpg.Record],
    pgss: PgssStatus,
) -> DbOverview:
    role = RoleInfo(
        name=head["role"],
        superuser=head["superuser"],
        bypass_rls=head["bypass_rls"],
        create_role=head["create_role"],
        create_db=head["create_db"],
        replication=head["replication"],
        predefined_roles=list(head["predefined_roles"]),
    )
    installed: list[Extension] = []
    available: dict[str, str] = {}
    for r in ext_rows:
        if r["installed_version"] is not None:
            newer = r["default_version"] if r["default_version"] not in (None, r["installed_version"]) else None
            installed.append(
                Extension(name=r["name"], version=r["installed_version"], schema=r["schema"], update_available=newer)
            )
        elif r["name"] is not None:
            available[r["name"]] = r["default_version"]
    names = {e.name for e in installed}
    if "hypopg" in names:
        hypopg = "installed"
    elif "hypopg" in available:
        hypopg = "available: CREATE EXTENSION hypopg; enables hypothetical indexes in explain_query"
    else:
        hypopg = "not available on this server (install the hypopg package for hypothetical indexes)"
    warnings = _role_warnings(role)
    if not pgss.usable:
        warnings.append(f"top_queries is unavailable: {pgss.reason}")
    return DbOverview(
        server_version=head["server_version"],
        server_version_num=head["server_version_num"],
        database=head["database"],
        database_bytes=head["database_bytes"],
        in_recovery=head["in_recovery"],
        uptime_seconds=head["uptime_seconds"],
        role=role,
        settings=jsonable(head["settings"]) or {},
        extensions=installed,
        available_extensions=available,
        schemas=[SchemaSummary(**{k: v for k, v in dict(r).items() if v != 0}) for r in schema_rows[:_MAX_SCHEMAS]],
        pg_stat_statements=pgss,
        hypopg=hypopg,
        warnings=warnings,
        truncated=len(schema_rows) > _MAX_SCHEMAS,
    )
