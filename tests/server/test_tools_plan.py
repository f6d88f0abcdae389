"""The planning tools through MCP: annotations, and who may name a database for a dry run."""

import mcp

from pgsage.server.app import build_server
from pgsage.server.config import Config


async def _tools(config: Config) -> dict:
    async with mcp.Client(build_server(config)) as client:
        return {t.name: t for t in (await client.list_tools()).tools}


async def test_annotations_tell_the_truth() -> None:
    tools = await _tools(Config.load(env={}))
    assert tools["recommend_indexes"].annotations.read_only_hint is True
    for name in ("dry_run_migration", "plan_changes"):
        annotations = tools[name].annotations
        assert annotations.read_only_hint is False and annotations.destructive_hint is False


async def test_a_read_only_server_refuses_an_arbitrary_dry_run_database(make_db) -> None:
    other = make_db("CREATE TABLE precious (id int)")
    async with mcp.Client(build_server(Config.load(env={}))) as client:
        result = await client.call_tool("dry_run_migration", {"sql": "DROP TABLE precious", "dsn": other})
    assert result.is_error and "PGSAGE_SCRATCH_DSN" in result.content[0].text


async def test_the_configured_scratch_database_is_used_and_rolled_back(make_db) -> None:
    scratch = make_db("CREATE TABLE precious (id int)")
    config = Config.load({"scratch_dsn": scratch}, env={})
    async with mcp.Client(build_server(config)) as client:
        result = await client.call_tool("dry_run_migration", {"sql": "DROP TABLE precious"})
        assert not result.is_error, result.content
        assert result.structured_content["statements"][0]["ok"] is True
        again = await client.call_tool("dry_run_migration", {"sql": "SELECT count(*) FROM precious"})
    assert again.structured_content["statements"][0]["ok"] is True  # the DROP was rolled back
