"""Errors the domain code raises for problems a user (or agent) can fix.

    PgsageError                  every anticipated failure; its text is safe to show the agent
    ├── InvalidInput             bad arguments: malformed SQL, empty query, out-of-range value
    ├── NotFound                 unknown table, page, source, rule...
    ├── GuardRejected            the read-only guard refused a statement (names the reason)
    ├── FeatureUnavailable       a missing extension, setting, privilege or optional package
    ├── WritesDisabled           a write tool called while the server runs read-only
    └── DatabaseProblem          anything about reaching or running on the database
        ├── NoDatabaseConfigured no DSN given
        ├── DatabaseUnavailable  cannot connect, auth refused, connection lost
        └── QueryFailed          PostgreSQL answered with an error (SQLSTATE kept)

The server turns every PgsageError into an MCP tool error (is_error=True) and keeps running.
Messages never contain a DSN password: build them with tools.dsn.scrub when a driver text is included.
"""

from __future__ import annotations

__all__ = [
    "DatabaseProblem",
    "DatabaseUnavailable",
    "FeatureUnavailable",
    "GuardRejected",
    "InvalidInput",
    "NoDatabaseConfigured",
    "NotFound",
    "PgsageError",
    "QueryFailed",
    "WritesDisabled",
]


class PgsageError(Exception):
    """An anticipated failure whose message tells the user what to change."""


class InvalidInput(PgsageError):
    pass


class NotFound(PgsageError):
    pass


class GuardRejected(PgsageError):
    pass


class FeatureUnavailable(PgsageError):
    pass


class WritesDisabled(PgsageError):
    pass


class DatabaseProblem(PgsageError):
    pass


class NoDatabaseConfigured(DatabaseProblem):
    def __init__(self) -> None:
        super().__init__(
            "No database is configured. Start pgsage with --dsn postgresql://user@host/db, or set "
            "PGSAGE_DATABASE_URL (or DATABASE_URL); `pgsage serve --sandbox` starts an embedded "
            "PostgreSQL 18 to try things on. Knowledge tools work without a database."
        )


class DatabaseUnavailable(DatabaseProblem):
    pass


class QueryFailed(DatabaseProblem):
    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
