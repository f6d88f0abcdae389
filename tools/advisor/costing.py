"""Plan costs under hypothetical indexes (HypoPG), in one read-only session that is always cleaned up.

HypoPG's indexes live in the backend's memory, outside transactions: the session resets them before the
connection goes back to the pool (its own prepared statements are deallocated as it goes), and
terminates the connection if it cannot. Parameterised statements ($1...) are planned as generic plans:
EXPLAIN (GENERIC_PLAN) on PostgreSQL 16+, PREPARE + EXECUTE with plan_cache_mode = force_generic_plan before that.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

from ..sqlident import quote_ident
from .workload import QueryShape

__all__ = ["CostSession", "PlanCost", "cost_session"]


@dataclass(frozen=True)
class PlanCost:
    cost: float
    plan: str  # the scans, compactly: "Seq Scan on documents; Index Scan using ... on chunks"


def _scans(node: dict[str, Any], out: list[str]) -> None:
    kind = node.get("Node Type", "")
    relation = node.get("Relation Name")
    index = node.get("Index Name")
    if relation or index:
        text = kind
        if index:
            text += f" using {index}"
        if relation:
            text += f" on {relation}"
        out.append(text)
    for child in node.get("Plans", []) or []:
        _scans(child, out)


class CostSession:
    def __init__(self, conn: asyncpg.Connection, hypopg: str, version_num: int) -> None:
        self.conn = conn
        self._hypopg = quote_ident(hypopg)
        self._generic_explain = version_num >= 160000
        self._prepared = 0

    async def cost(self, shape: QueryShape) -> PlanCost:
        # A savepoint: a statement that cannot be planned must not abort the whole session.
        async with self.conn.transaction():
            return await self._cost(shape)

    async def _cost(self, shape: QueryShape) -> PlanCost:
        if shape.parameterized and not self._generic_explain:
            document = await self._prepared_plan(shape)
        elif shape.parameterized:
            document = await self.conn.fetchval(f"EXPLAIN (GENERIC_PLAN, FORMAT JSON)\n{shape.sql}")
        else:
            document = await self.conn.fetchval(f"EXPLAIN (FORMAT JSON)\n{shape.sql}")
        plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
        scans: list[str] = []
        _scans(plan, scans)
        return PlanCost(float(plan["Total Cost"]), "; ".join(scans))

    async def _prepared_plan(self, shape: QueryShape) -> Any:
        # Re-prepared every time: a cached generic plan would not notice a new hypothetical index.
        self._prepared += 1
        name = f"pgsage_advisor_{self._prepared}"
        await self.conn.execute(f"PREPARE {name} AS\n{shape.sql}")
        try:
            nulls = ", ".join(["NULL"] * shape.param_count)
            call = f"EXECUTE {name}({nulls})" if nulls else f"EXECUTE {name}"
            return await self.conn.fetchval(f"EXPLAIN (FORMAT JSON) {call}")
        finally:
            await self.conn.execute(f"DEALLOCATE {name}")

    async def create(self, definition: str) -> tuple[int, float]:
        """Create a hypothetical index; returns its oid and estimated size in MB."""
        oid = await self.conn.fetchval(f"SELECT indexrelid FROM {self._hypopg}.hypopg_create_index($1)", definition)
        size = await self.conn.fetchval(f"SELECT {self._hypopg}.hypopg_relation_size($1)", oid)
        return int(oid), float(size or 0) / (1024 * 1024)

    async def drop(self, oid: int) -> None:
        await self.conn.fetchval(f"SELECT {self._hypopg}.hypopg_drop_index($1)", oid)


@asynccontextmanager
async def cost_session(
    conn: asyncpg.Connection, hypopg: str, version_num: int, timeout_ms: int
) -> AsyncIterator[CostSession]:
    clean = False
    transaction = conn.transaction(readonly=True)
    await transaction.start()
    try:
        await conn.execute("SELECT set_config('statement_timeout', $1, true)", str(timeout_ms))
        await conn.execute("SELECT set_config('plan_cache_mode', 'force_generic_plan', true)")
        yield CostSession(conn, hypopg, version_num)
        clean = True
    finally:
        try:
            await transaction.rollback()
            await conn.execute(f"SELECT {quote_ident(hypopg)}.hypopg_reset()")
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
            clean = False
        if not clean:
            conn.terminate()  # session state is unknown: never hand it back to the pool
