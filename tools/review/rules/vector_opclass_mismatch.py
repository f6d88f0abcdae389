"""Vector indexes whose operator class does not match the distance the queries order by.

An HNSW/IVFFlat index only serves `ORDER BY col <op> ...` when its operator class is for that operator's
distance (`vector_l2_ops` for `<->`, `vector_ip_ops` for `<#>`, `vector_cosine_ops` for `<=>`,
`vector_l1_ops` for `<+>`); otherwise the query silently falls back to an exact scan. Needs `queries`.
"""

from __future__ import annotations

from ...schema_model.model import SchemaModel
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import create_index
from .vector_without_index import ann_indexes, index_keys_for

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="vector-opclass-mismatch",
    severity="warning",
    kb=("pgvector-distance-operators", "pgvector-hnsw"),
    summary="vector index operator class must match the distance operator the queries use",
)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for (schema, name, column_name), distances in sorted(ctx.usage.vector.items()):
        table = model.table(name, schema)
        column = table.column(column_name) if table else None
        if table is None or column is None:
            continue
        indexes = ann_indexes(table, column_name)
        if not indexes:
            continue  # vector-without-index reports it
        have = {distance for _, distance in indexes}
        for distance in sorted(distances - have):
            keys, note = index_keys_for(column, distance)
            listed = ", ".join(f"{n} ({d})" for n, d in indexes)
            findings.append(
                new_finding(
                    RULE,
                    f"{table.qualified}.{column_name}",
                    why=(
                        f"Queries order by {distance} distance but the vector indexes on this column are "
                        f"for {', '.join(sorted(have))}, so those queries scan every row.{note}"
                    ),
                    evidence=f"distances used: {', '.join(sorted(distances))}; indexes: {listed}",
                    fix=create_index(table, keys, [column_name], method="hnsw"),
                )
            )
    return findings
