"""Tool registration: domain errors become readable tool errors and the server keeps serving."""

from typing import Any

import mcp
from pydantic import BaseModel

from pgsage.server.app import build_server
from pgsage.server.config import Config
from pgsage.server.registry import add_tool
from pgsage.tools.errors import NotFound


class Echo(BaseModel):
    value: int


async def _echo(value: int) -> Echo:
    """Echo a value; 404 for negative ones."""
    if value < 0:
        raise NotFound(f"no such value {value}; try a positive one")
    return Echo(value=value)


def _server() -> Any:
    server = build_server(Config.load(env={}))
    add_tool(server, _echo, name="echo", title="Echo", read_only=True)
    return server


async def test_domain_error_is_a_tool_error_and_the_server_keeps_running() -> None:
    async with mcp.Client(_server()) as client:
        bad = await client.call_tool("echo", {"value": -1})
        assert bad.is_error
        assert "no such value -1" in bad.content[0].text
        good = await client.call_tool("echo", {"value": 3})
        assert not good.is_error and good.structured_content == {"value": 3}
        invalid = await client.call_tool("echo", {"value": "not a number"})
        assert invalid.is_error


async def test_every_tool_has_title_annotations_output_schema_and_a_short_description() -> None:
    async with mcp.Client(build_server(Config.load(env={}))) as client:
        tools = (await client.list_tools()).tools
    assert tools
    for tool in tools:
        assert tool.title, tool.name
        assert tool.annotations is not None and tool.annotations.read_only_hint is not None, tool.name
        assert tool.output_schema is not None, tool.name
        assert tool.description and len(tool.description) < 700, tool.name


async def test_listed_schemas_are_compact() -> None:
    async with mcp.Client(build_server(Config.load(env={}))) as client:
        tools = (await client.list_tools()).tools
    for tool in tools:
        text = tool.model_dump_json()
        assert '"title":"' not in text.replace(f'"title":"{tool.title}"', ""), tool.name
