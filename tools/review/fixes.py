"""Building the SQL of a fix in its safe form, with every identifier quoted by tools/sqlident.py."""

from __future__ import annotations

from ..schema_model.model import Table
from ..schema_model.naming import choose_name, index_column_label
from ..sqlident import qualified_name, quote_ident

__all__ = [
    "LOCK_TIMEOUT",
    "column_list",
    "create_index",
    "drop_index",
    "new_index_name",
    "table_name",
]

# Prefix for DDL that takes an ACCESS EXCLUSIVE lock: fail fast instead of queueing behind long queries
# (and blocking everything that queues behind the ALTER).
LOCK_TIMEOUT = "SET lock_timeout = '5s';"


def table_name(table: Table) -> str:
    return qualified_name(table.schema_name, table.name)


def column_list(columns: list[str]) -> str:
    return ", ".join(quote_ident(c) for c in columns)


def new_index_name(table: Table, labels: list[str]) -> str:
    """PostgreSQL's own default name (`<table>_<columns>_idx`), avoiding the table's existing indexes."""
    taken = {i.name for i in table.indexes}
    return choose_name(table.name, index_column_label(labels), "idx", taken)


def create_index(table: Table, keys: str, labels: list[str], *, method: str = "btree", unique: bool = False) -> str:
    """CREATE INDEX CONCURRENTLY (no write lock; cannot run inside a transaction block)."""
    name = quote_ident(new_index_name(table, labels))
    using = "" if method == "btree" else f" USING {method}"
    kind = "UNIQUE INDEX" if unique else "INDEX"
    return f"CREATE {kind} CONCURRENTLY IF NOT EXISTS {name} ON {table_name(table)}{using} ({keys});"


def drop_index(schema: str, name: str) -> str:
    return f"DROP INDEX CONCURRENTLY IF EXISTS {qualified_name(schema, name)};"
