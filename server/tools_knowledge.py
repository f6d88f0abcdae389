"""MCP wrappers for the knowledge tools (thin: argument checks and pydantic results)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from .config import Config

__all__ = ["register"]


def register(server: MCPServer[Any], config: Config) -> None:
    """Register the knowledge tools; filled in by the issue that builds them."""
