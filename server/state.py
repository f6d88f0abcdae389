"""What the lifespan hands every tool: the config, the shared pool and the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mcp.server.mcpserver import Context
from pgsage.tools.database import Database

from .config import Config

__all__ = ["AppState", "app_state"]


@dataclass
class AppState:
    config: Config
    db: Database
    # Filled lazily by the knowledge tools (pgsage.knowledge); Any keeps server/ free of its internals.
    knowledge: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, config: Config) -> AppState:
        return cls(config=config, db=Database(config.database_settings()))

    async def aclose(self) -> None:
        await self.db.close()
        closer = getattr(self.knowledge, "aclose", None)
        if closer is not None:
            await closer()


def app_state(ctx: Context) -> AppState:
    state = ctx.request_context.lifespan_context
    assert isinstance(state, AppState), "pgsage tools need the server built by build_server()"
    return state
