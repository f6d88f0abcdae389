"""Settings that are off for the workload: unsafe durability settings, defaults that hold a busy server
back, and settings the workload statistics (temp files, forced checkpoints, deadlocks) say are too small.

Rules are data (`_RULES`): each names a setting, a test on its value, a severity and advice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg

from .base import Check, CheckContext, Finding, Severity, fetch

__all__ = ["CHECKS"]

_UNITS = {"B": 1, "kB": 1024, "8kB": 8192, "MB": 1024**2, "16MB": 16 * 1024**2, "GB": 1024**3}


@dataclass(frozen=True)
class _Setting:
    name: str
    raw: str
    unit: str | None
    source: str
    boot: str | None

    @property
    def number(self) -> float:
        return float(self.raw)

    @property
    def bytes(self) -> float:
        return float(self.raw) * _UNITS.get(self.unit or "B", 1)

    @property
    def on(self) -> bool:
        return self.raw == "on"


@dataclass(frozen=True)
class _Rule:
    setting: str
    fires: Callable[[_Setting], bool]
    severity: Severity
    advice: str
    fix: str | None = None
    citations: tuple[str, ...] = ()


_RULES: tuple[_Rule, ...] = (
    _Rule(
        "autovacuum",
        lambda s: not s.on,
        "critical",
        "Autovacuum is off: dead rows pile up, statistics go stale and transaction IDs are not frozen (wraparound).",
        "ALTER SYSTEM SET autovacuum = on; SELECT pg_reload_conf();",
        ("autovacuum-tuning",),
    ),
    _Rule(
        "track_counts",
        lambda s: not s.on,
        "critical",
        "track_counts is off, so autovacuum cannot tell which tables need work.",
        "ALTER SYSTEM SET track_counts = on; SELECT pg_reload_conf();",
        ("autovacuum-tuning",),
    ),
    _Rule(
        "fsync",
        lambda s: not s.on,
        "critical",
        "fsync is off: a crash or power loss can corrupt the database beyond repair.",
        "ALTER SYSTEM SET fsync = on; SELECT pg_reload_conf();",
    ),
    _Rule(
        "full_page_writes",
        lambda s: not s.on,
        "warning",
        "full_page_writes is off: torn pages after a crash cannot be repaired unless the storage "
        "guarantees atomic 8kB writes.",
    ),
    _Rule(
        "random_page_cost",
        lambda s: s.number >= 4,
        "info",
        "random_page_cost 4 models spinning disks; on SSD, NVMe or cloud volumes about 1.1 lets the planner "
        "choose index scans it currently avoids.",
        "ALTER SYSTEM SET random_page_cost = 1.1; SELECT pg_reload_conf();",
    ),
    _Rule(
        "shared_buffers",
        lambda s: s.bytes <= 128 * 1024**2,
        "info",
        "shared_buffers is at the 128MB default; about 25% of RAM is the usual starting point (needs a restart).",
    ),
    _Rule(
        "maintenance_work_mem",
        lambda s: s.bytes <= 64 * 1024**2,
        "info",
        "maintenance_work_mem is at the 64MB default; 256MB-1GB speeds up VACUUM and CREATE INDEX.",
        "ALTER SYSTEM SET maintenance_work_mem = '512MB'; SELECT pg_reload_conf();",
        ("autovacuum-tuning",),
    ),
    _Rule(
        "track_io_timing",
        lambda s: not s.on,
        "info",
        "track_io_timing is off, so EXPLAIN (BUFFERS) and pg_stat_statements cannot show I/O time.",
        "ALTER SYSTEM SET track_io_timing = on; SELECT pg_reload_conf();",
        ("pg-stat-statements",),
    ),
    _Rule(
        "shared_preload_libraries",
        lambda s: "pg_stat_statements" not in s.raw,
        "info",
        "pg_stat_statements is not preloaded, so there is no per-query workload history (top_queries).",
        None,
        ("pg-stat-statements",),
    ),
    _Rule(
        "max_connections",
        lambda s: s.number > 500,
        "warning",
        "More than 500 connections cost memory and snapshot work on every query; use a connection pooler.",
        None,
        ("idle-in-transaction",),
    ),
    _Rule(
        "checkpoint_completion_target",
        lambda s: s.number < 0.9,
        "info",
        "A low checkpoint_completion_target concentrates checkpoint I/O; 0.9 (the default since 14) spreads it.",
        "ALTER SYSTEM SET checkpoint_completion_target = 0.9; SELECT pg_reload_conf();",
    ),
)
_NAMES = sorted({r.setting for r in _RULES} | {"work_mem", "max_wal_size"})


def _finding(
    setting: _Setting, severity: Severity, advice: str, fix: str | None, citations: tuple[str, ...], **evidence: Any
) -> Finding:
    return Finding(
        check="settings",
        severity=severity,
        object=setting.name,
        evidence={
            "value": setting.raw + (setting.unit or "") if setting.unit else setting.raw,
            "source": setting.source,
            **evidence,
        },
        recommendation=advice,
        safe_fix=fix,
        citations=list(citations),
    )


async def settings(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    rows = await fetch(conn, "settings", _NAMES)
    by_name = {r["name"]: _Setting(r["name"], r["setting"], r["unit"], r["source"], r["boot_val"]) for r in rows}
    out: list[Finding] = []
    for rule in _RULES:
        s = by_name.get(rule.setting)
        # A setting this role may not read is simply absent from pg_settings.
        if s is not None and rule.fires(s):
            out.append(_finding(s, rule.severity, rule.advice, rule.fix, rule.citations))
    out.extend(await _workload(conn, ctx, by_name))
    return out


async def _workload(conn: asyncpg.Connection, ctx: CheckContext, by_name: dict[str, _Setting]) -> list[Finding]:
    t = ctx.thresholds
    out: list[Finding] = []
    db = (await fetch(conn, "database_stats"))[0]
    work_mem = by_name.get("work_mem")
    if work_mem is not None and db["temp_bytes"] >= t.temp_bytes_warning and db["temp_files"] > 0:
        out.append(
            _finding(
                work_mem,
                "warning",
                "Sorts and hashes spill to temporary files: raise work_mem for the queries that spill (per role or "
                "per transaction is safer than globally, since each sort node may use it).",
                None,
                ("pg-stat-statements",),
                temp_files=db["temp_files"],
                temp_bytes=db["temp_bytes"],
            )
        )
    # pg_stat_bgwriter lost its checkpoint columns to pg_stat_checkpointer in PostgreSQL 17.
    cp = (await fetch(conn, "checkpoints_17" if ctx.version >= 170000 else "checkpoints_pre17"))[0]
    total = cp["timed"] + cp["requested"]
    wal = by_name.get("max_wal_size")
    forced = cp["requested"] / total if total else 0.0
    if wal is not None and total >= t.checkpoint_min_total and forced > t.checkpoint_requested_fraction:
        out.append(
            _finding(
                wal,
                "warning",
                "Most checkpoints are forced by WAL volume rather than checkpoint_timeout: raise max_wal_size so "
                "checkpoints happen on schedule (fewer full-page writes, steadier I/O).",
                None,
                (),
                checkpoints_timed=cp["timed"],
                checkpoints_requested=cp["requested"],
            )
        )
    if db["deadlocks"]:
        out.append(
            Finding(
                check="settings",
                severity="info",
                object="deadlocks",
                evidence={
                    "deadlocks": db["deadlocks"],
                    "since": db["stats_reset"].isoformat() if db["stats_reset"] else "statistics never reset",
                },
                recommendation="Deadlocks happened: make transactions take locks in a consistent order.",
                citations=["blocking-locks"],
            )
        )
    return out


CHECKS: tuple[Check, ...] = (
    Check("settings", "Settings off for the workload", ("autovacuum-tuning", "pg-stat-statements"), settings),
)
