"""MCP wrappers for the catalog tools (thin: argument checks and pydantic results; logic lives in tools/)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

__all__ = ["register"]


def register(server: MCPServer[Any]) -> None:
    """Register the catalog tools."""
