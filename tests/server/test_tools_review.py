"""review_schema over MCP: SQL, files and the live database; switches; errors as tool errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import mcp

from pgsage.server.app import build_server
from pgsage.server.config import Config

FIXTURES = Path(__file__).parents[1] / "tools" / "review" / "fixtures"
TENANT_APP = (FIXTURES / "tenant_app.sql").read_text()


def _server(dsn: str | None = None, **settings: Any):
    return build_server(Config.load({"dsn": dsn, **settings}, env={}))


def _objects(content: dict) -> list[tuple[str, str]]:
    return [(f["rule"], f["object"]) for f in content["findings"]]


async def test_review_sql_argument_without_a_database() -> None:
    async with mcp.Client(_server()) as client:
        result = await client.call_tool("review_schema", {"sql": TENANT_APP, "rules": ["tenant-rls"]})
    assert not result.is_error
    content = result.structured_content
    assert content["source"] == "sql"
    assert content["rules_run"] == ["tenant-rls"]
    assert _objects(content) == [("tenant-rls", "public.comments"), ("tenant-rls", "public.audit_log")]
    citation = content["findings"][0]["citations"][0]
    assert citation["page"] == "rls-multi-tenant"


async def test_review_files_with_queries_exclusions_and_table_filter() -> None:
    args = {
        "files": [str(FIXTURES / "tenant_app.sql")],
        "tables": ["documents"],
        "queries": ["SELECT id FROM documents WHERE meta ? 'k'"],
        "exclude": ["naming-convention"],
    }
    async with mcp.Client(_server()) as client:
        result = await client.call_tool("review_schema", args)
    assert not result.is_error
    content = result.structured_content
    assert content["tables"] == 1
    assert "naming-convention" in content["rules_skipped"]
    assert _objects(content) == [("jsonb-without-gin", "public.documents.meta")]


async def test_review_live_database_with_the_configured_tenant_column(make_db) -> None:
    dsn = make_db(
        "CREATE TABLE orgs (id uuid PRIMARY KEY);"
        "CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, org_id uuid REFERENCES orgs);"
    )
    tenant_rules = ["tenant-column-not-null", "tenant-foreign-key", "tenant-index"]
    async with mcp.Client(_server(dsn, tenant_column="org_id")) as client:
        result = await client.call_tool("review_schema", {"rules": tenant_rules})
    assert not result.is_error
    content = result.structured_content
    assert content["source"] == "database"
    assert _objects(content) == [
        ("tenant-column-not-null", "public.invoices.org_id"),
        ("tenant-foreign-key", "public.invoices.org_id"),
        ("tenant-index", "public.invoices.org_id"),
    ]


async def test_findings_are_capped_by_max_rows() -> None:
    async with mcp.Client(_server(max_rows=3)) as client:
        result = await client.call_tool("review_schema", {"sql": TENANT_APP})
    content = result.structured_content
    assert content["truncated"] is True and len(content["findings"]) == 3
    assert sum(content["counts"].values()) == 19


async def test_problems_are_tool_errors_and_the_server_keeps_running(tmp_path: Path) -> None:
    async with mcp.Client(_server()) as client:
        no_db = await client.call_tool("review_schema", {})
        unknown_rule = await client.call_tool("review_schema", {"sql": "CREATE TABLE t (a int);", "rules": ["nope"]})
        bad_sql = await client.call_tool("review_schema", {"sql": "CREATE TABL t (a int);"})
        missing = await client.call_tool("review_schema", {"files": [str(tmp_path / "none.sql")]})
        unknown_table = await client.call_tool("review_schema", {"sql": "CREATE TABLE t (a int);", "tables": ["u"]})
        ok = await client.call_tool(
            "review_schema", {"sql": "CREATE TABLE t (a bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"}
        )
    for result, needle in (
        (no_db, "No database is configured"),
        (unknown_rule, "unknown rule id"),
        (bad_sql, "does not parse"),
        (missing, "no such file"),
        (unknown_table, "no table named u"),
    ):
        assert result.is_error
        assert needle in result.content[0].text  # type: ignore[union-attr]
    assert not ok.is_error and ok.structured_content["findings"] == []


async def test_tool_is_annotated_read_only() -> None:
    async with mcp.Client(_server()) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    tool = tools["review_schema"]
    assert tool.annotations.read_only_hint is True
    assert tool.output_schema is not None


async def test_workload_from_pg_stat_statements_shows_how_jsonb_is_queried(make_db) -> None:
    dsn = make_db(
        "CREATE TABLE docs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, doc jsonb, other jsonb);"
        "CREATE INDEX docs_doc_idx ON docs USING gin (doc jsonb_path_ops);",
        extensions=("pg_stat_statements",),
    )
    conn = await asyncpg.connect(dsn)
    try:
        for _ in range(3):
            await conn.fetch("SELECT id FROM docs WHERE doc ? $1", "k")
            await conn.fetch("SELECT id FROM docs WHERE doc @> $1::jsonb", '{"a": 1}')
    finally:
        await conn.close()
    args = {"rules": ["jsonb-without-gin"], "from_pg_stat_statements": True}
    async with mcp.Client(_server(dsn)) as client:
        with_workload = await client.call_tool("review_schema", args)
        without = await client.call_tool("review_schema", {"rules": ["jsonb-without-gin"]})
    assert not with_workload.is_error
    content = with_workload.structured_content
    # `?` is not served by jsonb_path_ops; `other` is not queried by the workload at all.
    assert [(f["object"], f["severity"]) for f in content["findings"]] == [("public.docs.doc", "warning")]
    assert any(note.startswith("workload: ") for note in content["notes"])
    # Without a workload only the unindexed column is mentioned, as info.
    assert [(f["object"], f["severity"]) for f in without.structured_content["findings"]] == [
        ("public.docs.other", "info")
    ]


async def test_workload_without_pg_stat_statements_is_a_clear_error(make_db) -> None:
    dsn = make_db("CREATE TABLE t (id bigint PRIMARY KEY);")
    async with mcp.Client(_server(dsn)) as client:
        result = await client.call_tool("review_schema", {"from_pg_stat_statements": True})
    assert result.is_error
    assert "pg_stat_statements is not installed" in result.content[0].text  # type: ignore[union-attr]
