"""Lock-taking DDL without lock_timeout and statement_timeout set earlier in the file."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule
from ._common import LOCKING_KINDS, lock_taking, statement_lock

__all__ = ["RULE", "check"]

RULE = Rule(
    id="require-timeout-settings",
    severity="warning",
    summary="No lock_timeout/statement_timeout before the first lock-taking DDL",
    why="DDL waits for its lock behind any long-running transaction, and while it waits every new query "
    "on the table queues behind it: a one-millisecond ALTER can stall production for minutes. A "
    "lock_timeout makes it give up (and be retried) instead; a statement_timeout caps the work itself.",
    fix="Start the migration with SET lock_timeout (a few seconds) and SET statement_timeout, and retry "
    "the migration when it times out.",
    kb="require-timeout-settings",
    kinds=LOCKING_KINDS,
)


def _is_concurrent(ctx: Any) -> bool:
    return bool(ctx.node.get("concurrent")) or any(
        p.get("DefElem", {}).get("defname") == "concurrently" for p in ctx.node.get("params", [])
    )


def check(ctx: Any) -> list[Finding]:
    if ctx.state.locking_seen or not lock_taking(ctx):
        return []
    missing = []
    if not ctx.state.lock_timeout:
        missing.append("lock_timeout")
    # A statement_timeout would cancel a long concurrent build halfway; only the lock wait needs bounding.
    if not ctx.state.statement_timeout and not _is_concurrent(ctx):
        missing.append("statement_timeout")
    if not missing:
        return []
    lines = {"lock_timeout": "SET lock_timeout = '5s';", "statement_timeout": "SET statement_timeout = '15min';"}
    lock = statement_lock(ctx)
    return [
        ctx.finding(
            RULE,
            f"No {' or '.join(missing)} is set before this statement, so it can wait for its "
            f"{lock or 'table'} lock indefinitely, and statements that conflict with that lock queue behind it.",
            lock=lock,
            safe_sql="\n".join(lines[m] for m in missing) + f"\n{ctx.text.rstrip(';')};",
        )
    ]
