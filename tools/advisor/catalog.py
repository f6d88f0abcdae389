"""The catalog facts the advisor needs about the tables a workload touches: one query per concern."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import asyncpg

from ..sqlident import qualified_name
from .workload import TableRef

__all__ = ["ExistingIndex", "TableInfo", "load_tables", "sql_text"]


def sql_text(name: str) -> str:
    return resources.files(__package__).joinpath("sql", name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class ExistingIndex:
    name: str
    method: str
    columns: tuple[str | None, ...]
    partial: bool


@dataclass
class TableInfo:
    oid: int
    schema: str
    name: str
    reltuples: float
    types: dict[str, str] = field(default_factory=dict)  # column -> typname
    n_distinct: dict[str, float] = field(default_factory=dict)
    indexes: list[ExistingIndex] = field(default_factory=list)

    @property
    def qualified(self) -> str:
        return qualified_name(self.schema, self.name)

    def distinct(self, column: str) -> float:
        """Estimated distinct values (PostgreSQL stores a negative fraction of rows for large counts)."""
        value = self.n_distinct.get(column)
        if value is None:
            return 0.0
        return -value * self.reltuples if value < 0 else value


async def load_tables(conn: asyncpg.Connection, refs: list[TableRef]) -> dict[TableRef, TableInfo]:
    """Resolve the workload's table references; names that are not tables (CTEs, views...) are left out."""
    if not refs:
        return {}
    wanted = {qualified_name(ref.schema, ref.name): ref for ref in refs}
    rows = await conn.fetch(sql_text("relations.sql"), list(wanted))
    tables: dict[TableRef, TableInfo] = {}
    by_oid: dict[int, TableInfo] = {}
    for row in rows:
        info = by_oid.get(row["oid"]) or TableInfo(row["oid"], row["schema"], row["name"], row["reltuples"])
        by_oid[row["oid"]] = info
        tables[wanted[row["qualified"]]] = info
    if not by_oid:
        return tables
    oids = list(by_oid)
    for row in await conn.fetch(sql_text("columns.sql"), oids):
        info = by_oid[row["oid"]]
        info.types[row["name"]] = row["typname"]
        if row["n_distinct"] is not None:
            info.n_distinct[row["name"]] = row["n_distinct"]
    for row in await conn.fetch(sql_text("indexes.sql"), oids):
        by_oid[row["oid"]].indexes.append(
            ExistingIndex(row["name"], row["method"], tuple(row["columns"]), row["partial"])
        )
    return tables
