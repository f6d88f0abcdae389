"""BEGIN inside a transaction, or COMMIT/ROLLBACK inside the transaction a migration tool manages."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Rule

__all__ = ["RULE", "check"]

RULE = Rule(
    id="transaction-nesting",
    severity="error",
    summary="Nested BEGIN, or COMMIT/ROLLBACK inside a migration tool's transaction",
    why="PostgreSQL has no nested transactions: a second BEGIN only warns and the first COMMIT ends the "
    "whole transaction. When the migration tool wraps the file in a transaction, a COMMIT in the file "
    "ends the tool's transaction early, so the rest runs without the atomicity the tool promises.",
    fix="Remove the inner BEGIN/COMMIT, or turn off the tool's transaction for this migration "
    "(Alembic: op.get_context().autocommit_block()) and manage transactions explicitly.",
    kb="transaction-nesting",
    kinds=frozenset({"TransactionStmt"}),
)

_BEGIN = {"TRANS_STMT_BEGIN", "TRANS_STMT_START"}
_END = {"TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK"}


def check(ctx: Any) -> list[Finding]:
    if ctx.kind != "TransactionStmt" or not ctx.in_transaction:
        return []
    kind = ctx.node.get("kind")
    if kind in _BEGIN:
        return [ctx.finding(RULE, "BEGIN inside a transaction that is already open: it does not nest.")]
    if kind in _END and ctx.transaction == ctx.state.implicit_transaction:
        return [ctx.finding(RULE, "COMMIT/ROLLBACK ends the transaction the migration tool opened.")]
    return []
