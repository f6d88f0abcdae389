"""What the lifespan hands every tool: the config, the shared pool and the knowledge base."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import anyio
from mcp.server.mcpserver import Context

from pgsage.tools.database import Database
from pgsage.tools.sandbox import Sandbox, start_sandbox

from .config import Config

__all__ = ["AppState", "app_state"]


@dataclass
class AppState:
    config: Config
    db: Database
    # Filled lazily by the knowledge tools (pgsage.knowledge); Any keeps server/ free of its internals.
    knowledge: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
    _scratch: Sandbox | None = None
    _scratch_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    def create(cls, config: Config) -> AppState:
        return cls(config=config, db=Database(config.database_settings()))

    async def scratch_sandbox(self) -> Sandbox:
        """The embedded server used for dry runs, started on first use (a few seconds) and kept."""
        async with self._scratch_lock:
            if self._scratch is None:
                self._scratch = await anyio.to_thread.run_sync(
                    lambda: start_sandbox(self.config.data_dir, name="scratch18")
                )
            return self._scratch

    async def aclose(self) -> None:
        await self.db.close()
        if self._scratch is not None:
            scratch, self._scratch = self._scratch, None
            await anyio.to_thread.run_sync(scratch.stop)
        closer = getattr(self.knowledge, "aclose", None)
        if closer is not None:
            await closer()


def app_state(ctx: Context) -> AppState:
    state = ctx.request_context.lifespan_context
    assert isinstance(state, AppState), "pgsage tools need the server built by build_server()"
    return state
