"""What every health check shares: the finding shape, thresholds, and the check record.

A check is one function `run(conn, ctx) -> list[Finding]` over one catalog query (its SQL in
`sql/<check>.sql`). Thresholds are data so tests and callers can move them; defaults follow common
practice (pghero, PostgreSQL documentation).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import asyncpg
from pydantic import Field

from ..plumbing import CompactModel, load_sql
from ..sqlident import qualified_name

__all__ = ["PKG", "Check", "CheckContext", "Finding", "Severity", "Thresholds", "fetch", "qname"]

PKG = "pgsage.tools.health"
Severity = Literal["critical", "warning", "info"]


class Finding(CompactModel):
    check: str
    severity: Severity
    object: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)
    recommendation: str
    safe_fix: str | None = None
    citations: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Thresholds:
    unused_index_min_bytes: int = 1024 * 1024
    bloat_min_bytes: int = 10 * 1024 * 1024
    bloat_min_ratio: float = 0.5
    dead_tuples_min: int = 10_000
    wraparound_warn_fraction: float = 0.5
    wraparound_critical_fraction: float = 0.75
    overflow_warn_fraction: float = 0.75
    overflow_critical_fraction: float = 0.9
    connections_warn_fraction: float = 0.8
    idle_in_transaction_seconds: float = 60.0
    long_query_seconds: float = 300.0
    blocked_seconds: float = 10.0
    cache_min_ratio: float = 0.99
    cache_min_blocks: int = 100_000
    slot_retained_bytes: int = 1024 * 1024 * 1024
    replication_lag_bytes: int = 256 * 1024 * 1024
    replication_lag_seconds: float = 300.0
    fk_warning_rows: int = 10_000
    temp_bytes_warning: int = 1024 * 1024 * 1024
    checkpoint_requested_fraction: float = 0.2
    checkpoint_min_total: int = 10


@dataclass(frozen=True)
class CheckContext:
    version: int
    thresholds: Thresholds


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    citations: tuple[str, ...]
    run: Callable[[asyncpg.Connection, CheckContext], Awaitable[list[Finding]]]
    # Other finding ids this check emits, also accepted when selecting checks by name.
    emits: tuple[str, ...] = ()


async def fetch(conn: asyncpg.Connection, name: str, *args: Any) -> list[asyncpg.Record]:
    return await conn.fetch(load_sql(PKG, name), *args)


def qname(schema: str, name: str) -> str:
    """A schema-qualified name quoted for SQL (safe to splice into a suggested fix)."""
    return qualified_name(schema, name)
