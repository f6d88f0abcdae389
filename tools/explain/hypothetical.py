"""Hypothetical indexes through HypoPG: validate the CREATE INDEX text, create, and always reset.

HypoPG keeps hypothetical indexes in the backend's memory, outside any transaction: a rollback does
not remove them, so callers reset them in a `finally` and throw the connection away if that fails.
Its functions are used here on purpose and are rejected by execute_sql's guard.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import asyncpg
from pglast.parser import ParseError, parse_sql_json
from pydantic import BaseModel

from ..errors import FeatureUnavailable, InvalidInput
from ..sqlident import quote_ident

__all__ = [
    "HypotheticalIndex",
    "create_hypothetical_indexes",
    "hypopg_schema",
    "reset_hypothetical_indexes",
    "validate_index_statement",
]

MAX_HYPOTHETICAL_INDEXES = 20

_FIND_HYPOPG = """
SELECT n.nspname AS schema,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'hypopg') AS available,
       current_setting('server_version_num')::int / 10000 AS major
FROM (SELECT 1) one
LEFT JOIN pg_extension e ON e.extname = 'hypopg'
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
"""


class HypotheticalIndex(BaseModel):
    name: str
    definition: str


def validate_index_statement(sql: str) -> str:
    """`sql` if it is exactly one CREATE INDEX statement; InvalidInput naming the problem otherwise."""
    text = sql.strip() if isinstance(sql, str) else ""
    if not text:
        raise InvalidInput("A hypothetical index must be a CREATE INDEX statement, e.g. CREATE INDEX ON t (a).")
    try:
        stmts = json.loads(parse_sql_json(text)).get("stmts", [])
    except ParseError as exc:
        raise InvalidInput(f"Hypothetical index {text!r} does not parse: {exc.args[0]}.") from None
    if len(stmts) != 1:
        raise InvalidInput(f"Hypothetical index {text!r} must be exactly one CREATE INDEX statement.")
    node = next(iter(stmts[0]["stmt"]))
    if node != "IndexStmt":
        raise InvalidInput(f"Hypothetical index {text!r} is not a CREATE INDEX statement.")
    return text


async def hypopg_schema(conn: asyncpg.Connection) -> str:
    """The schema HypoPG is installed in, or FeatureUnavailable saying how to install it."""
    row = await conn.fetchrow(_FIND_HYPOPG)
    if row is not None and row["schema"]:
        return str(row["schema"])
    major = row["major"] if row is not None else "XX"
    if row is not None and row["available"]:
        how = "run CREATE EXTENSION hypopg in this database (it is available on the server)"
    else:
        how = (
            f"install the server package (Debian/Ubuntu: postgresql-{major}-hypopg; or build it from "
            "github.com/HypoPG/hypopg), then run CREATE EXTENSION hypopg in this database"
        )
    raise FeatureUnavailable(f"Hypothetical indexes need the HypoPG extension, which is not installed: {how}.")


async def create_hypothetical_indexes(
    conn: asyncpg.Connection, schema: str, statements: Sequence[str]
) -> list[HypotheticalIndex]:
    """Create each validated statement as a hypothetical index (bound as a value, never spliced)."""
    if len(statements) > MAX_HYPOTHETICAL_INDEXES:
        raise InvalidInput(f"At most {MAX_HYPOTHETICAL_INDEXES} hypothetical indexes per call.")
    texts = [validate_index_statement(s) for s in statements]
    call = f"SELECT indexname FROM {quote_ident(schema)}.hypopg_create_index($1)"
    created = []
    for text in texts:
        name = await conn.fetchval(call, text)
        created.append(HypotheticalIndex(name=str(name), definition=text))
    return created


async def reset_hypothetical_indexes(conn: asyncpg.Connection, schema: str) -> None:
    await conn.execute(f"SELECT {quote_ident(schema)}.hypopg_reset()")
