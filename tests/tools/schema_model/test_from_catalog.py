"""Loading the model from a live PostgreSQL 15: filters, errors and a bounded number of queries."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.errors import NoDatabaseConfigured, NotFound
from pgsage.tools.schema_model import load_model_from_connection, load_model_from_db

SETUP = """
CREATE SCHEMA app;
CREATE TABLE public.a (id int PRIMARY KEY);
CREATE TABLE app.b (id int PRIMARY KEY, a_id int REFERENCES public.a);
CREATE EXTENSION pg_trgm;
"""


class CountingConnection:
    """A real connection that counts the queries sent through it."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.queries = 0

    async def fetch(self, *args: Any) -> Any:
        self.queries += 1
        return await self.conn.fetch(*args)


async def test_all_user_schemas_by_default_and_queries_are_bounded(make_db) -> None:
    dsn = make_db(SETUP)
    conn = await asyncpg.connect(dsn)
    try:
        counting = CountingConnection(conn)
        model = await load_model_from_connection(counting)  # type: ignore[arg-type]
        # Adding tables must not add queries: one per concern.
        await conn.execute("CREATE TABLE app.c (id int PRIMARY KEY, x jsonb); CREATE TABLE app.d (y int)")
        counting_more = CountingConnection(conn)
        more = await load_model_from_connection(counting_more)  # type: ignore[arg-type]
    finally:
        await conn.close()
    assert [t.qualified for t in model.tables] == ["app.b", "public.a"]
    assert counting.queries == counting_more.queries == 6
    assert len(more.tables) == 4
    fk = model.table("app.b").foreign_keys[0]  # type: ignore[union-attr]
    assert (fk.ref_schema, fk.ref_table, fk.ref_columns) == ("public", "a", ["id"])


async def test_schema_and_table_filters(make_db) -> None:
    dsn = make_db(SETUP)
    db = Database(DatabaseSettings(dsn=dsn))
    try:
        only_app = await load_model_from_db(db, "app")
        assert [t.qualified for t in only_app.tables] == ["app.b"]
        qualified = await load_model_from_db(db, tables=["app.b"])
        assert [t.qualified for t in qualified.tables] == ["app.b"]
        with pytest.raises(NotFound, match="no table named nope"):
            await load_model_from_db(db, ["public"], ["a", "nope"])
    finally:
        await db.close()


async def test_no_database_configured_is_a_clear_error() -> None:
    with pytest.raises(NoDatabaseConfigured):
        await load_model_from_db(Database(DatabaseSettings(dsn=None)))
