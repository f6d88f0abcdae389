"""Indexes identical to another index of the same table (same method, keys, operator classes, order,
INCLUDE columns and predicate).

Each extra copy slows every write and takes memory and disk for nothing. The copy kept is the one that
backs a constraint, else a unique one, else the first by name; the others are reported.
"""

from __future__ import annotations

from collections import defaultdict

from ...schema_model.model import Index, SchemaModel
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import drop_index

__all__ = ["RULE", "check", "index_signature"]

RULE = RuleInfo(
    id="duplicate-index",
    severity="warning",
    kb=("duplicate-and-redundant-indexes",),
    summary="drop indexes that duplicate another index",
)


def index_signature(index: Index) -> tuple[object, ...]:
    keys = tuple((k.column, k.expression, k.opclass, k.descending) for k in index.keys)
    return (index.method, keys, tuple(index.include), index.predicate)


def _keep_order(index: Index) -> tuple[int, int, str]:
    return (0 if index.constraint else 1, 0 if index.unique else 1, index.name)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for table in model.tables:
        groups: dict[tuple[object, ...], list[Index]] = defaultdict(list)
        for index in table.indexes:
            if index.valid:
                groups[index_signature(index)].append(index)
        for group in groups.values():
            if len(group) < 2:
                continue
            keep, *extra = sorted(group, key=_keep_order)
            for index in extra:
                if index.constraint:
                    continue  # dropping it means dropping a constraint: not a mechanical fix
                if index.unique and not keep.unique:
                    continue
                findings.append(
                    new_finding(
                        RULE,
                        f"{table.schema_name}.{index.name}",
                        why=(
                            f"{index.name} indexes exactly what {keep.name} indexes; every write to "
                            f"{table.qualified} maintains both and only one is ever useful."
                        ),
                        evidence=f"{index.name} and {keep.name} on {table.qualified}: same method "
                        f"({index.method}), keys, operator classes, INCLUDE and predicate",
                        fix=drop_index(table.schema_name, index.name),
                    )
                )
    return findings
