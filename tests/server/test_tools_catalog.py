"""The catalog tools through a real MCP client: schemas, structured results, errors the agent can read."""

from __future__ import annotations

import asyncpg
import mcp

from pgsage.server.app import build_server
from pgsage.server.config import Config

TOOLS = {"db_overview", "list_objects", "describe_object", "top_queries", "health_check", "activity"}
SETUP = """
CREATE TABLE t (id int PRIMARY KEY, note text);
CREATE TABLE orders (id bigint PRIMARY KEY, t_id int REFERENCES t);
CREATE TABLE "x""; DROP TABLE t; --" (id int);
"""


def _server(dsn: str | None, **extra):
    return build_server(Config.load({"dsn": dsn, **extra}, env={}))


def _text(result) -> str:
    return " ".join(getattr(c, "text", "") for c in result.content)


async def test_tools_are_listed_read_only_with_output_schemas() -> None:
    async with mcp.Client(_server(None)) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
    assert set(listed) >= TOOLS
    for name in TOOLS:
        tool = listed[name]
        assert tool.annotations.read_only_hint is True, name
        assert tool.annotations.destructive_hint is False, name
        assert tool.output_schema, name
        assert tool.description and len(tool.description) < 700, name


async def test_without_a_database_the_tools_say_how_to_configure_one() -> None:
    async with mcp.Client(_server(None)) as client:
        result = await client.call_tool("describe_object", {"name": "t"})
    assert result.is_error and "No database is configured" in _text(result)


async def test_overview_list_and_describe(make_db) -> None:
    dsn = make_db(SETUP, extensions=("pg_stat_statements",))
    async with mcp.Client(_server(dsn)) as client:
        overview = await client.call_tool("db_overview", {})
        listed = await client.call_tool("list_objects", {"kind": "table", "limit": 2})
        more = await client.call_tool(
            "list_objects", {"kind": ["table"], "cursor": listed.structured_content["next_cursor"]}
        )
        described = await client.call_tool("describe_object", {"name": "orders"})
    assert not overview.is_error and overview.structured_content["pg_stat_statements"]["usable"] is True
    page1 = [o["name"] for o in listed.structured_content["objects"]]
    page2 = [o["name"] for o in more.structured_content["objects"]]
    assert sorted(page1 + page2) == sorted(["t", "orders", 'x"; DROP TABLE t; --'])
    assert listed.structured_content["total"] == 3
    d = described.structured_content
    assert d["kind"] == "table" and [c["name"] for c in d["columns"]] == ["id", "t_id"]
    fk = next(c for c in d["constraints"] if c["type"] == "foreign_key")
    assert fk["references"] == "t" and fk["on_delete"] == "NO ACTION"
    # compact: null fields are left out
    assert "comment" not in d and "sequence" not in d


async def test_unknown_table_is_a_tool_error_with_close_matches(make_db) -> None:
    async with mcp.Client(_server(make_db(SETUP))) as client:
        result = await client.call_tool("describe_object", {"name": "order"})
        after = await client.call_tool("db_overview", {})
    assert result.is_error
    assert "No table, view" in _text(result) and "public.orders" in _text(result)
    assert not after.is_error  # the server keeps working


async def test_hostile_names_are_data_never_sql(make_db) -> None:
    dsn = make_db(SETUP)
    async with mcp.Client(_server(dsn)) as client:
        hostile = await client.call_tool("describe_object", {"name": 'x"; DROP TABLE t; --'})
        quoted = await client.call_tool("describe_object", {"name": "t; DROP TABLE orders", "schema": "public"})
        schema_attack = await client.call_tool("list_objects", {"schema": "public'; DROP TABLE t; --"})
    assert not hostile.is_error and hostile.structured_content["name"] == 'x"; DROP TABLE t; --'
    assert quoted.is_error and "No table" in _text(quoted)
    assert not schema_attack.is_error and schema_attack.structured_content["total"] == 0
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM pg_class WHERE relname IN ('t', 'orders')") == 2
    finally:
        await conn.close()


async def test_top_queries_without_pg_stat_statements(make_db) -> None:
    async with mcp.Client(_server(make_db())) as client:
        result = await client.call_tool("top_queries", {"order_by": "mean"})
        bad = await client.call_tool("top_queries", {"order_by": "slowest"})
    assert result.is_error
    assert "shared_preload_libraries" in _text(result) and "CREATE EXTENSION pg_stat_statements" in _text(result)
    assert bad.is_error


async def test_top_queries_health_and_activity(make_db) -> None:
    dsn = make_db(SETUP, extensions=("pg_stat_statements",))
    async with mcp.Client(_server(dsn)) as client:
        top = await client.call_tool("top_queries", {"order_by": "calls", "limit": 3})
        health = await client.call_tool("health_check", {"checks": ["fk-without-index", "missing-primary-key"]})
        wrong = await client.call_tool("health_check", {"checks": ["nope"]})
        live = await client.call_tool("activity", {})
    assert not top.is_error and top.structured_content["queries"]
    report = health.structured_content
    assert report["checks_run"] == ["fk-without-index", "missing-primary-key"]
    fk = next(f for f in report["findings"] if f["check"] == "fk-without-index")
    assert fk["object"] == "public.orders (t_id)"
    assert fk["safe_fix"] == "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_t_id_idx ON public.orders (t_id);"
    assert fk["citations"] == ["fk-indexes", "require-concurrent-index-creation"]
    nopk = next(f for f in report["findings"] if f["check"] == "missing-primary-key")
    assert nopk["object"] == 'public."x""; DROP TABLE t; --"'
    assert wrong.is_error and "fk-without-index" in _text(wrong)
    assert not live.is_error and "sessions" in live.structured_content


async def test_pg18_tools(make_db18) -> None:
    async with mcp.Client(_server(make_db18(SETUP))) as client:
        overview = await client.call_tool("db_overview", {})
        health = await client.call_tool("health_check", {})
        top = await client.call_tool("top_queries", {})
    assert overview.structured_content["server_version_num"] // 10000 == 18
    assert not health.is_error and health.structured_content.get("errors") is None
    assert top.is_error and "shared_preload_libraries" in _text(top)


async def test_list_objects_respects_the_server_row_cap(make_db) -> None:
    tables = "; ".join(f"CREATE TABLE t{i} (id int)" for i in range(8))
    async with mcp.Client(_server(make_db(tables), max_rows=5)) as client:
        result = await client.call_tool("list_objects", {"limit": 100})
    assert len(result.structured_content["objects"]) == 5 and result.structured_content["truncated"] is True
