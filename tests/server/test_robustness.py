"""Adversarial inputs against the real server: every tool answers with a result or an actionable error.

Each call goes through MCP in-process against a real PostgreSQL. A tool that crashes shows up as the SDK's
bare "Error executing tool <name>" (an unexpected exception); that is always a bug. After every batch the
server must still answer, the database must be unchanged, and no DSN password may appear in any result
or log record.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg
import mcp
import pytest

from pgsage.server.app import build_server
from pgsage.server.config import Config

PASSWORD = "Pw_robust_9q7"
SETUP = """
CREATE TABLE t (id int PRIMARY KEY, v text, doc jsonb);
INSERT INTO t SELECT g, 'v' || g, jsonb_build_object('k', g) FROM generate_series(1, 300) g;
CREATE SEQUENCE s;
CREATE TABLE "Odd ""Name""; DROP" (id int);
"""
ODD_STRINGS: list[Any] = [
    "",
    "   ",
    "a\x00b",
    "x" * 1_000_000,
    "😀\u202e\ufeff\u0301",
    'x"; DROP TABLE t; --',
    "a.b.c.d",
    "'",
    '"',
    "pg_catalog.pg_class",
    "../../etc/passwd",
]
WRONG_TYPES: list[Any] = [None, 123, -1, [], {}, True, 1e308, -(10**30)]

# tool -> (arguments that make a valid call, the parameters to fuzz)
TOOLS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "server_status": ({}, []),
    "db_overview": ({}, []),
    "activity": ({}, []),
    "list_objects": ({}, ["schema", "kind", "pattern", "limit", "cursor"]),
    "describe_object": ({"name": "t"}, ["name", "schema"]),
    "top_queries": ({}, ["order_by", "limit"]),
    "health_check": ({}, ["checks"]),
    "dry_run_migration": ({"sql": "SELECT 1"}, ["sql", "dsn"]),
    "execute_sql": ({"sql": "SELECT 1"}, ["sql", "params", "max_rows"]),
    "explain_query": ({"sql": "SELECT 1"}, ["sql", "hypothetical_indexes", "settings", "params", "format"]),
    "review_schema": ({}, ["schema", "tables", "sql", "queries", "rules", "exclude"]),
    "lint_migration": ({"sql": "SELECT 1"}, ["sql", "pg_version", "exclude"]),
    "recommend_indexes": ({"queries": ["SELECT * FROM t WHERE v = 'x'"]}, ["queries", "max_indexes", "max_size_mb"]),
    "plan_changes": ({"feature": "comments"}, ["feature", "tables", "queries"]),
}


def _with_password(dsn: str) -> str:
    # The test cluster trusts loopback, so the password is ignored by the server but must never be shown.
    return dsn.replace("postgres@", f"postgres:{PASSWORD}@", 1)


def _text(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


def assert_answered(name: str, result: Any) -> None:
    """A result, or an error that says something (the SDK's bare message means an unexpected exception)."""
    text = _text(result)
    assert PASSWORD not in text, f"{name} printed the DSN password"
    if result.is_error:
        assert text.strip() != f"Error executing tool {name}", f"{name} crashed: {text!r}"
        detail = text.split(":", 1)[-1].strip()
        assert len(detail) > 10, f"{name} gave no actionable detail: {text!r}"
        assert len(text) < 20_000, f"{name} answered with a {len(text)}-character error: {text[:200]!r}"


async def fingerprint(dsn: str) -> tuple[Any, ...]:
    conn = await asyncpg.connect(dsn)
    try:
        return (
            await conn.fetchval("SELECT count(*) FROM t"),
            await conn.fetchval("SELECT sum(id) + sum(length(v)) FROM t"),
            await conn.fetchval("SELECT last_value FROM s"),
            await conn.fetchval("SELECT count(*) FROM pg_class"),
            await conn.fetchval("SELECT count(*) FROM pg_roles"),
            await conn.fetchval("SELECT count(*) FROM pg_extension"),
        )
    finally:
        await conn.close()


def _config(dsn: str | None, **extra: Any) -> Config:
    return Config.load({"dsn": dsn, **extra}, env={})


@pytest.fixture
def quiet_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def _assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert PASSWORD not in record.getMessage(), record.getMessage()[:300]
        if record.exc_text:
            assert PASSWORD not in record.exc_text


@pytest.mark.parametrize("tool", sorted(TOOLS))
async def test_every_tool_survives_hostile_arguments(tool: str, make_db, quiet_logs) -> None:
    dsn = _with_password(make_db(SETUP, extensions=("pg_stat_statements", "hypopg")))
    before = await fingerprint(dsn)
    base, params = TOOLS[tool]
    async with mcp.Client(build_server(_config(dsn, statement_timeout_ms=2_000))) as client:
        assert_answered(tool, await client.call_tool(tool, base))
        for param in params:
            for value in ODD_STRINGS + WRONG_TYPES:
                for wrapped in (value, [value]):
                    result = await client.call_tool(tool, {**base, param: wrapped})
                    assert_answered(f"{tool}({param}={str(wrapped)[:40]!r})", result)
        again = await client.call_tool("server_status", {})
        assert not again.is_error and again.structured_content["database"]["reachable"] is True
    assert await fingerprint(dsn) == before
    _assert_logs_clean(quiet_logs)


NAMES = ['"Odd ""Name""; DROP"', "t; DROP TABLE t", "public.t.x", "pg_catalog.pg_class", "t' OR '1'='1", "T", ""]


async def test_object_names_with_quotes_dots_and_sql_are_data(make_db) -> None:
    dsn = make_db(SETUP)
    before = await fingerprint(dsn)
    async with mcp.Client(build_server(_config(dsn))) as client:
        odd = await client.call_tool("describe_object", {"name": '"Odd ""Name""; DROP"'})
        assert not odd.is_error, _text(odd)
        for name in NAMES:
            for tool, args in (
                ("describe_object", {"name": name}),
                ("describe_object", {"name": "t", "schema": name}),
                ("list_objects", {"schema": name, "pattern": name}),
                ("review_schema", {"tables": [name or "x"]}),
                ("plan_changes", {"feature": "x", "tables": [name or "x"]}),
            ):
                assert_answered(tool, await client.call_tool(tool, args))
    assert await fingerprint(dsn) == before


async def test_a_database_that_is_down_gets_a_clear_error_from_every_tool(quiet_logs) -> None:
    dsn = f"postgresql://app:{PASSWORD}@127.0.0.1:9/nowhere"
    async with mcp.Client(build_server(_config(dsn))) as client:
        for tool, (base, _) in TOOLS.items():
            result = await client.call_tool(tool, base)
            assert_answered(tool, result)
        overview = await client.call_tool("db_overview", {})
        assert overview.is_error and "Cannot reach the database" in _text(overview) and "***" in _text(overview)
        status = await client.call_tool("server_status", {})
        assert not status.is_error and status.structured_content["database"]["reachable"] is False
    _assert_logs_clean(quiet_logs)


async def test_a_role_with_only_connect_gets_answers_or_clear_errors(make_db, pg15_dsn) -> None:
    dsn = make_db(SETUP + "REVOKE ALL ON SCHEMA public FROM PUBLIC;")
    name = dsn.rsplit("/", 1)[1]
    admin = await asyncpg.connect(pg15_dsn)
    try:
        await admin.execute(
            "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgsage_connect_only') "
            "THEN CREATE ROLE pgsage_connect_only LOGIN; END IF; END$$"
        )
        await admin.execute(f'GRANT CONNECT ON DATABASE "{name}" TO pgsage_connect_only')
    finally:
        await admin.close()
    weak = dsn.replace("postgres@", f"pgsage_connect_only:{PASSWORD}@", 1)
    before = await fingerprint(dsn)
    async with mcp.Client(build_server(_config(weak))) as client:
        for tool, (base, _) in TOOLS.items():
            assert_answered(tool, await client.call_tool(tool, base))
        denied = await client.call_tool("execute_sql", {"sql": "SELECT * FROM public.t"})
        message = _text(denied)
        assert denied.is_error and ("42501" in message or "does not exist" in message)
    assert await fingerprint(dsn) == before


async def test_missing_extensions_are_explained(make_db) -> None:
    dsn = make_db(SETUP)  # neither pg_stat_statements nor hypopg created in this database
    async with mcp.Client(build_server(_config(dsn))) as client:
        top = await client.call_tool("top_queries", {})
        assert top.is_error and "CREATE EXTENSION pg_stat_statements" in _text(top)
        hypo = await client.call_tool(
            "explain_query", {"sql": "SELECT * FROM t WHERE v = 'x'", "hypothetical_indexes": ["CREATE INDEX ON t (v)"]}
        )
        assert hypo.is_error and "CREATE EXTENSION hypopg" in _text(hypo)
        advice = await client.call_tool("recommend_indexes", {"queries": ["SELECT * FROM t WHERE v = 'x'"]})
        assert_answered("recommend_indexes", advice)


async def test_the_embedded_pg18_without_contrib_extensions(make_db18) -> None:
    dsn = make_db18(SETUP)
    async with mcp.Client(build_server(_config(dsn))) as client:
        for tool, (base, _) in TOOLS.items():
            assert_answered(tool, await client.call_tool(tool, base))
        hypo = await client.call_tool(
            "explain_query", {"sql": "SELECT * FROM t WHERE v = 'x'", "hypothetical_indexes": ["CREATE INDEX ON t (v)"]}
        )
        assert hypo.is_error and "hypopg" in _text(hypo).lower()


async def test_statement_timeouts_are_errors_that_say_what_to_do(make_db) -> None:
    dsn = make_db(SETUP)
    huge = "SELECT count(*) FROM t a, t b, t c, t d"
    async with mcp.Client(build_server(_config(dsn, statement_timeout_ms=300))) as client:
        run = await client.call_tool("execute_sql", {"sql": huge})
        assert run.is_error and "statement_timeout (300 ms)" in _text(run)
        analyzed = await client.call_tool("explain_query", {"sql": huge, "analyze": True})
        assert analyzed.is_error and "analyze=False" in _text(analyzed) and "300 ms" in _text(analyzed)
        plan = await client.call_tool("explain_query", {"sql": huge})
        assert not plan.is_error  # the estimated plan is still available
        after = await client.call_tool("execute_sql", {"sql": "SELECT count(*) FROM t"})
        assert not after.is_error and after.structured_content["rows"] == [[300]]


async def test_huge_results_are_capped_and_flagged(make_db) -> None:
    dsn = make_db(SETUP)
    async with mcp.Client(build_server(_config(dsn, max_rows=20, max_bytes=2_000))) as client:
        many = await client.call_tool("execute_sql", {"sql": "SELECT * FROM t a, t b"})
        assert not many.is_error and many.structured_content["truncated"] is True
        assert len(many.structured_content["rows"]) <= 20
        wide = await client.call_tool("execute_sql", {"sql": "SELECT repeat('x', 5000000) AS big"})
        assert not wide.is_error and wide.structured_content["truncated"] is True
        assert len(_text(wide)) < 20_000
        overflow = await client.call_tool("execute_sql", {"sql": "SELECT 1", "max_rows": 10**9})
        assert_answered("execute_sql", overflow)
        listed = await client.call_tool("list_objects", {"limit": 1000})
        assert not listed.is_error and len(listed.structured_content["objects"]) <= 20


async def test_twenty_concurrent_calls_on_a_pool_of_two(make_db) -> None:
    dsn = make_db(SETUP)
    before = await fingerprint(dsn)
    slow = "SELECT count(*) FROM t a, t b WHERE a.v < b.v"
    async with mcp.Client(build_server(_config(dsn, pool_max=2, statement_timeout_ms=20_000))) as client:
        calls = [client.call_tool("execute_sql", {"sql": slow}) for _ in range(14)]
        calls += [client.call_tool("describe_object", {"name": "t"}) for _ in range(3)]
        calls += [client.call_tool("health_check", {}) for _ in range(3)]
        results = await asyncio.gather(*calls)
        for result in results:
            assert not result.is_error, _text(result)
        assert {r.structured_content["rows"][0][0] for r in results[:14]} == {300 * 299 // 2}
        again = await client.call_tool("execute_sql", {"sql": "SELECT 1"})
        assert not again.is_error
    assert await fingerprint(dsn) == before


async def test_explain_of_show_is_an_input_error(make_db) -> None:
    dsn = make_db(SETUP)
    async with mcp.Client(build_server(_config(dsn))) as client:
        result = await client.call_tool("explain_query", {"sql": "SHOW work_mem"})
        assert result.is_error and "execute_sql" in _text(result)


async def test_review_schema_treats_a_huge_token_as_sql_not_a_path(make_db) -> None:
    dsn = make_db(SETUP)
    async with mcp.Client(build_server(_config(dsn))) as client:
        result = await client.call_tool("review_schema", {"sql": "a" * 100_000})
        assert result.is_error and "does not parse" in _text(result)


def test_http_on_a_non_loopback_address_needs_a_token(monkeypatch, capsys) -> None:
    from pgsage.server.cli import main

    for name in ("PGSAGE_AUTH_TOKEN", "PGSAGE_DATABASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve", "--transport", "http", "--host", "0.0.0.0", "--port", "1"]) == 2
    assert "--auth-token" in capsys.readouterr().err


@pytest.mark.parametrize(
    "dsn",
    [
        f"postgresql://u:{PASSWORD}@127.0.0.1:notaport/db",  # asyncpg raised a bare ValueError at first use
        f"postgresql://u:{PASSWORD}@[::1/db",
        f"postgresql://u@127.0.0.1:9/db?password={PASSWORD}",
        f"host=127.0.0.1 port=9 user=u password={PASSWORD}",
        f"mysql://u:{PASSWORD}@127.0.0.1/db",
        PASSWORD,  # a password pasted where the DSN goes must not be echoed back
    ],
)
async def test_malformed_dsns_are_clear_errors_without_the_password(dsn: str, quiet_logs) -> None:
    async with mcp.Client(build_server(_config(dsn))) as client:
        for tool in ("db_overview", "execute_sql", "server_status"):
            result = await client.call_tool(tool, {"sql": "SELECT 1"} if tool == "execute_sql" else {})
            assert_answered(tool, result)
            assert PASSWORD not in str(result.structured_content)
        failed = await client.call_tool("db_overview", {})
        assert failed.is_error and "Cannot reach the database" in _text(failed)
    _assert_logs_clean(quiet_logs)


async def test_tampered_list_objects_cursors_are_one_clear_error(make_db) -> None:
    import base64
    import json

    def encode(value: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    dsn = make_db(SETUP)
    async with mcp.Client(build_server(_config(dsn))) as client:
        for value in (["a", "b", "c", 2**70], ["a", "b", "c", -1], ["a\x00", "b", "c", 1], ["a", "b", "c", True]):
            result = await client.call_tool("list_objects", {"cursor": encode(value)})
            assert result.is_error and "cursor is not one returned by list_objects" in _text(result), value


async def test_explain_analyze_cannot_raise_work_mem_to_exhaust_the_server(make_db) -> None:
    dsn = make_db(SETUP)
    sql = "SELECT count(*) FROM t a JOIN t b USING (v)"
    async with mcp.Client(build_server(_config(dsn))) as client:
        huge = await client.call_tool("explain_query", {"sql": sql, "analyze": True, "settings": {"work_mem": "1TB"}})
        assert huge.is_error and "analyze=False" in _text(huge)
        multiplied = await client.call_tool(
            "explain_query",
            {"sql": sql, "analyze": True, "settings": {"work_mem": "512MB", "hash_mem_multiplier": "100"}},
        )
        assert multiplied.is_error and "hash_mem_multiplier" in _text(multiplied)
        estimated = await client.call_tool("explain_query", {"sql": sql, "settings": {"work_mem": "1TB"}})
        assert not estimated.is_error, _text(estimated)
        modest_args = {"sql": sql, "analyze": True, "settings": {"work_mem": "64MB"}}
        modest = await client.call_tool("explain_query", modest_args)
        assert not modest.is_error, _text(modest)


async def test_review_schema_findings_respect_the_byte_cap(make_db) -> None:
    many = ";\n".join(f"CREATE TABLE r{i} (id int, doc jsonb, name varchar(20), at timestamp)" for i in range(60))
    dsn = make_db(many)
    async with mcp.Client(build_server(_config(dsn, max_bytes=5_000, max_rows=10_000))) as client:
        result = await client.call_tool("review_schema", {})
    assert not result.is_error, _text(result)
    content = result.structured_content
    assert content["truncated"] is True and content["findings"]
    import json

    assert len(json.dumps(content["findings"])) <= 5_000 + 500  # separators aside, within the cap
    assert any("byte cap" in note for note in content["notes"])


async def test_a_very_wide_row_counts_its_columns_against_the_byte_cap(make_db) -> None:
    dsn = make_db(SETUP)
    columns = ", ".join(f"'{'v' * 50}' AS column_with_a_long_name_{i}" for i in range(300))
    async with mcp.Client(build_server(_config(dsn, max_bytes=20_000))) as client:
        result = await client.call_tool("execute_sql", {"sql": f"SELECT {columns}"})
    assert not result.is_error, _text(result)
    assert result.structured_content["truncated"] is True and result.structured_content["rows"] == []


async def test_every_tool_recovers_after_its_connections_are_terminated(make_db) -> None:
    """A restart or pg_terminate_backend kills idle pooled connections; the next call must still work."""
    dsn = make_db(SETUP, extensions=("pg_stat_statements", "hypopg"))
    name = dsn.rsplit("/", 1)[1]
    async with mcp.Client(build_server(_config(dsn, pool_max=3))) as client:
        for tool, (base, _) in TOOLS.items():
            warm = await client.call_tool("execute_sql", {"sql": "SELECT 1"})
            assert not warm.is_error
            admin = await asyncpg.connect(dsn)
            try:
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = $1 AND application_name = 'pgsage'",
                    name,
                )
            finally:
                await admin.close()
            result = await client.call_tool(tool, base)
            assert_answered(tool, result)
            if tool not in ("dry_run_migration",):
                assert not result.is_error, f"{tool}: {_text(result)[:300]}"
