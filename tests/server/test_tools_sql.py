"""execute_sql and explain_query through an in-memory MCP client, in read-only and write mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
import mcp
import pytest

from pgsage.server.app import build_server
from pgsage.server.config import Config

SETUP = """
CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);
INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 30) g;
CREATE SEQUENCE ticket;
CREATE FUNCTION wipe() RETURNS int LANGUAGE sql AS $$ DELETE FROM notes RETURNING 1 $$;
CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM notes $$;
"""


def _server(dsn: str | None, **overrides: Any):
    return build_server(Config.load({"dsn": dsn, "pool_max": 1, **overrides}, env={}))


def _text(result: Any) -> str:
    return " ".join(getattr(c, "text", "") for c in result.content)


async def _state(dsn: str) -> tuple[int, str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM notes), (SELECT md5(string_agg(body, ',' ORDER BY id)) FROM notes), "
            "(SELECT last_value FROM ticket)"
        )
        return (row[0], row[1], row[2])
    finally:
        await conn.close()


async def test_annotations_follow_the_access_mode() -> None:
    async with mcp.Client(_server(None)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert tools["execute_sql"].annotations.read_only_hint is True
    assert tools["execute_sql"].annotations.destructive_hint is False
    assert tools["explain_query"].annotations.read_only_hint is True
    assert "params" in tools["execute_sql"].input_schema["properties"]
    assert "hypothetical_indexes" in tools["explain_query"].input_schema["properties"]
    async with mcp.Client(_server(None, access_mode="write")) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert tools["execute_sql"].annotations.read_only_hint is False
    assert tools["execute_sql"].annotations.destructive_hint is True
    assert tools["explain_query"].annotations.read_only_hint is True


async def test_no_database_is_a_tool_error() -> None:
    async with mcp.Client(_server(None)) as client:
        result = await client.call_tool("execute_sql", {"sql": "SELECT 1"})
    assert result.is_error and "No database is configured" in _text(result)


async def test_read_returns_structured_untrusted_rows(make_db: Callable[..., str]) -> None:
    dsn = make_db(SETUP)
    async with mcp.Client(_server(dsn, max_rows=5)) as client:
        result = await client.call_tool(
            "execute_sql", {"sql": "SELECT id, body FROM notes WHERE id > $1 ORDER BY id", "params": [10]}
        )
    assert not result.is_error
    data = result.structured_content
    assert data["columns"] == [{"name": "id", "type": "int4"}, {"name": "body", "type": "text"}]
    assert data["rows"][0] == [11, "note 11"] and data["row_count"] == 5 and data["truncated"] is True
    assert data["untrusted_data"] is True


HOSTILE = [
    ("SELECT 1; DROP TABLE notes", "Multiple statements"),
    ("COMMIT; DELETE FROM notes", "Multiple statements"),
    ("DELETE FROM notes", "access-mode write"),
    ("WITH d AS (DELETE FROM notes RETURNING 1) SELECT count(*) FROM d", "WITH"),
    ("EXPLAIN ANALYZE DELETE FROM notes", "ANALYZE would run it"),
    ("SELECT nextval('ticket')", "nextval"),
    ("SELECT * FROM wipe()", "wipe"),
    ("SELECT pg_catalog.set_config('default_transaction_read_only', 'off', false)", "set_config"),
    ("DO $$BEGIN DELETE FROM notes; END$$", "DO"),
    ("COPY notes TO PROGRAM 'true'", "COPY"),
    ("SELECT * FROM notes FOR UPDATE", "Locking"),
    ('SELECT/**/"pg_sleep"(5)', "pg_sleep"),
    ("SELECT pg_advisory_lock(1)", "advisory"),
]


@pytest.mark.parametrize(("sql", "words"), HOSTILE, ids=[h[0][:40] for h in HOSTILE])
async def test_hostile_input_is_rejected_through_mcp(make_db: Callable[..., str], sql: str, words: str) -> None:
    dsn = make_db(SETUP)
    before = await _state(dsn)
    async with mcp.Client(_server(dsn)) as client:
        result = await client.call_tool("execute_sql", {"sql": sql})
        assert result.is_error, result.structured_content
        assert words.lower() in _text(result).lower()
        alive = await client.call_tool("execute_sql", {"sql": "SELECT count(*) FROM notes"})
        assert not alive.is_error and alive.structured_content["rows"] == [[30]]
    assert await _state(dsn) == before


async def test_write_mode_commits_through_mcp(make_db: Callable[..., str]) -> None:
    dsn = make_db(SETUP)
    async with mcp.Client(_server(dsn, access_mode="write")) as client:
        result = await client.call_tool(
            "execute_sql", {"sql": "UPDATE notes SET body = $1 WHERE id = 1", "params": ["x"]}
        )
        assert not result.is_error
        assert result.structured_content["committed"] is True and result.structured_content["status"] == "UPDATE 1"
        rejected = await client.call_tool("execute_sql", {"sql": "ROLLBACK"})
        assert rejected.is_error and "own transaction" in _text(rejected)
    count, _, _ = await _state(dsn)
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT body FROM notes WHERE id = 1") == "x" and count == 30
    finally:
        await conn.close()


async def test_explain_query_through_mcp(make_db: Callable[..., str]) -> None:
    dsn = make_db(
        SETUP + "INSERT INTO notes SELECT g, md5(g::text) FROM generate_series(31, 20000) g; ANALYZE notes;",
        extensions=("hypopg",),
    )
    async with mcp.Client(_server(dsn)) as client:
        result = await client.call_tool(
            "explain_query",
            {"sql": "SELECT * FROM notes WHERE body = 'x'", "hypothetical_indexes": ["CREATE INDEX ON notes (body)"]},
        )
        assert not result.is_error, _text(result)
        data = result.structured_content
        assert data["hypothetical_indexes_used"] and "Index" in str(data["plan"])
        assert "raw" not in data or data["raw"] is None
        analyzed = await client.call_tool("explain_query", {"sql": "SELECT count(*) FROM notes", "analyze": True})
        assert not analyzed.is_error and analyzed.structured_content["plan"]["actual_rows"] == 1
        bad = await client.call_tool("explain_query", {"sql": "UPDATE notes SET body = ''", "analyze": True})
        assert bad.is_error and "only reads can be analyzed" in _text(bad)
    assert (await _state(dsn))[0] == 20000


async def test_configured_safe_functions(make_db: Callable[..., str]) -> None:
    dsn = make_db(SETUP)
    async with mcp.Client(_server(dsn)) as client:
        result = await client.call_tool("execute_sql", {"sql": "SELECT public.note_count()"})
        assert result.is_error and "safe_functions" in _text(result)
    async with mcp.Client(_server(dsn, safe_functions="public.note_count,wipe")) as client:
        result = await client.call_tool("execute_sql", {"sql": "SELECT public.note_count()"})
        assert not result.is_error and result.structured_content["rows"] == [[30]]
        # Declared safe by mistake: the READ ONLY transaction still stops the write.
        wrong = await client.call_tool("execute_sql", {"sql": "SELECT wipe()"})
        assert wrong.is_error and "25006" in _text(wrong)
    assert (await _state(dsn))[0] == 30
