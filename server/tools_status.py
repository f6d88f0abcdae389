"""The `server_status` tool: what pgsage is connected to and how it is configured."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from pydantic import BaseModel

from pgsage.tools.status import DatabaseStatus, database_status

from .config import Config
from .registry import add_tool
from .state import app_state
from .version import __version__

__all__ = ["ServerStatus", "register"]


class ServerStatus(BaseModel):
    pgsage_version: str
    access_mode: str
    sandbox: bool
    ingest_enabled: bool
    tenant_column: str
    max_rows: int
    statement_timeout_ms: int
    database: DatabaseStatus


async def server_status(ctx: Context) -> ServerStatus:
    """Report pgsage's version and settings and whether a database is connected (version, role, warnings).

    Call it first when a database tool fails or to learn the PostgreSQL version to plan for.
    """
    state = app_state(ctx)
    cfg = state.config
    return ServerStatus(
        pgsage_version=__version__,
        access_mode=cfg.access_mode,
        sandbox=cfg.sandbox,
        ingest_enabled=cfg.allow_ingest,
        tenant_column=cfg.tenant_column,
        max_rows=cfg.max_rows,
        statement_timeout_ms=cfg.statement_timeout_ms,
        database=await database_status(state.db),
    )


def register(server: MCPServer[Any], config: Config) -> None:
    add_tool(server, server_status, title="pgsage status", read_only=True)
