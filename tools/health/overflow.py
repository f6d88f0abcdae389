"""Sequences and integer key columns close to running out of values."""

from __future__ import annotations

import asyncpg

from ..sqlident import quote_ident
from .base import Check, CheckContext, Finding, Severity, fetch, qname

__all__ = ["CHECKS", "TYPE_MAX"]

TYPE_MAX = {"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}
_CITE = ["sequence-exhaustion", "identity-and-bigint-keys"]


def _severity(fraction: float, ctx: CheckContext) -> Severity | None:
    if fraction >= ctx.thresholds.overflow_critical_fraction:
        return "critical"
    if fraction >= ctx.thresholds.overflow_warn_fraction:
        return "warning"
    return None


def _widen_advice(column: str, type_: str) -> str:
    return (
        f"Column {column} is {type_}: widening it to bigint rewrites the table under an ACCESS EXCLUSIVE lock. "
        "Plan an online migration (add a bigint column, backfill in batches, swap) before it runs out; "
        "inserts fail once the last value is used."
    )


async def overflow(conn: asyncpg.Connection, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    seen_columns: set[tuple[str, str, str]] = set()
    for r in await fetch(conn, "sequences", min(ctx.thresholds.overflow_warn_fraction, 1.0)):
        ascending = r["increment"] > 0
        column_type = r["column_type"]
        col_max = TYPE_MAX.get(column_type) if column_type else None
        limit = r["max_value"] if ascending else r["min_value"]
        column_bound = False
        if col_max is not None:
            col_limit = col_max if ascending else -col_max - 1
            if abs(col_limit) < abs(limit):
                limit, column_bound = col_limit, True
            elif abs(col_limit) == abs(limit) and column_type != "bigint":
                column_bound = True
        fraction = r["last_value"] / limit if limit else 0.0
        severity = _severity(fraction, ctx)
        if severity is None:
            continue
        seq = qname(r["schema"], r["sequence"])
        evidence = {
            "last_value": r["last_value"],
            "limit": limit,
            "fraction_used": round(fraction, 4),
            "sequence_type": r["data_type"],
        }
        if r["column_name"]:
            column = f"{qname(r['table_schema'], r['table_name'])}.{quote_ident(r['column_name'])}"
            evidence.update(column=column, column_type=column_type)
        if column_bound:
            seen_columns.add((r["table_schema"], r["table_name"], r["column_name"]))
            out.append(
                Finding(
                    check="integer-key-overflow",
                    severity=severity,
                    object=evidence["column"],
                    evidence={**evidence, "sequence": seq},
                    recommendation=_widen_advice(evidence["column"], column_type),
                    citations=_CITE,
                )
            )
            continue
        widen = r["data_type"] != "bigint" and (column_type in (None, "bigint"))
        out.append(
            Finding(
                check="sequence-overflow",
                severity=severity,
                object=seq,
                evidence=evidence,
                recommendation=(
                    "The sequence is near its own maximum, below what its column can hold: widening the "
                    "sequence is a quick catalog change."
                    if widen
                    else "The sequence is near its maximum; raise MAXVALUE if the column type allows it, or plan "
                    "a move to bigint."
                ),
                safe_fix=f"ALTER SEQUENCE {seq} AS bigint;" if widen else None,
                citations=_CITE,
            )
        )
    for r in await fetch(conn, "integer_keys"):
        key = (r["schema"], r["table"], r["column"])
        if key in seen_columns or r["max_seen"] is None:
            continue
        type_max = TYPE_MAX[r["type"]]
        fraction = max(r["max_seen"] / type_max, (r["min_seen"] or 0) / (-type_max - 1))
        severity = _severity(fraction, ctx)
        if severity is None:
            continue
        column = f"{qname(r['schema'], r['table'])}.{quote_ident(r['column'])}"
        out.append(
            Finding(
                check="integer-key-overflow",
                severity=severity,
                object=column,
                evidence={
                    "column_type": r["type"],
                    "max_seen": r["max_seen"],
                    "limit": type_max,
                    "fraction_used": round(fraction, 4),
                    "constraint": r["constraint"],
                    "source": "planner statistics (as of the last ANALYZE)",
                },
                recommendation=_widen_advice(column, r["type"]),
                citations=_CITE,
            )
        )
    return out


CHECKS: tuple[Check, ...] = (
    Check(
        "sequence-overflow",
        "Sequences and integer keys near overflow",
        tuple(_CITE),
        overflow,
        emits=("integer-key-overflow",),
    ),
)
