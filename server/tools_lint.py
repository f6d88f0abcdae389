"""MCP wrappers for the lint tools (thin: argument checks and pydantic results; logic lives in tools/)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from .config import Config

__all__ = ["register"]


def register(server: MCPServer[Any], config: Config) -> None:
    """Register the lint tools."""
