"""B-tree indexes whose keys are a leading prefix of another B-tree index on the same table.

An index on (a) is redundant next to one on (a, b): the longer index serves every query the shorter
one does (same operator classes and order, same predicate), at the cost of a slightly larger index to
scan. Unique indexes and indexes backing constraints are not reported: they enforce something.
"""

from __future__ import annotations

from ...schema_model.model import Index, SchemaModel
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import drop_index

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="redundant-index",
    severity="info",
    kb=("duplicate-and-redundant-indexes",),
    summary="drop B-tree indexes that are a prefix of another index",
)


def _keys(index: Index) -> list[tuple[object, ...]]:
    return [(k.column, k.expression, k.opclass, k.descending) for k in index.keys]


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for table in model.tables:
        btrees = [i for i in table.indexes if i.method == "btree" and i.valid]
        for short in btrees:
            if short.unique or short.constraint or short.include:
                continue
            short_keys = _keys(short)
            longer = next(
                (
                    other
                    for other in sorted(btrees, key=lambda i: i.name)
                    if other is not short
                    and len(other.keys) > len(short_keys)
                    and _keys(other)[: len(short_keys)] == short_keys
                    and other.predicate == short.predicate
                ),
                None,
            )
            if longer is None:
                continue
            findings.append(
                new_finding(
                    RULE,
                    f"{table.schema_name}.{short.name}",
                    why=(
                        f"{longer.name} starts with the same keys, so it serves every query {short.name} "
                        f"serves; dropping {short.name} saves a write and its space (scans of the longer "
                        "index read slightly more pages)."
                    ),
                    evidence=(
                        f"{short.name} ({', '.join(str(k.column or k.expression) for k in short.keys)}) is a prefix of "
                        f"{longer.name} ({', '.join(str(k.column or k.expression) for k in longer.keys)})"
                    ),
                    fix=drop_index(table.schema_name, short.name),
                )
            )
    return findings
