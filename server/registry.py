"""Registering a tool: truthful annotations, structured output, and domain errors as tool errors.

Domain code raises `PgsageError` subclasses; here they become `ToolError`, which the SDK returns as an
`is_error` result the agent can read and recover from, while the server keeps running.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

import asyncpg
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

from pgsage.tools.database import query_failed
from pgsage.tools.dsn import scrub
from pgsage.tools.errors import PgsageError

__all__ = ["MAX_ERROR_CHARS", "add_tool"]

P = ParamSpec("P")
R = TypeVar("R")


# Error texts quote the caller's input (a syntax error "near" a 1 MB token, an unknown 1 MB table name):
# the agent pays for every character, so any message is cut here, the one place all tool errors pass.
MAX_ERROR_CHARS = 2_000


def _capped(text: str) -> str:
    if len(text) <= MAX_ERROR_CHARS:
        return text
    return f"{text[:MAX_ERROR_CHARS]}... [{len(text) - MAX_ERROR_CHARS} more characters cut]"


def _as_tool_errors(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await fn(*args, **kwargs)
        except PgsageError as exc:
            raise ToolError(_capped(scrub(str(exc)))) from None
        except asyncpg.PostgresError as exc:
            # A safety net: domain code should already have turned these into QueryFailed.
            raise ToolError(_capped(str(query_failed(exc)))) from None

    return wrapper


def add_tool(
    server: MCPServer[Any],
    fn: Callable[..., Awaitable[Any]],
    *,
    title: str,
    read_only: bool,
    destructive: bool = False,
    idempotent: bool = True,
    open_world: bool = False,
    name: str | None = None,
) -> None:
    """Register `fn` (an async function returning a pydantic model; its docstring is the description)."""
    server.add_tool(
        _as_tool_errors(fn),
        name=name or fn.__name__,
        title=title,
        annotations=ToolAnnotations(
            title=title,
            read_only_hint=read_only,
            destructive_hint=False if read_only else destructive,
            idempotent_hint=idempotent,
            open_world_hint=open_world,
        ),
        structured_output=True,
    )
