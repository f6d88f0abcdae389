"""pgvector columns with no HNSW or IVFFlat index: every nearest-neighbour query is an exact full scan.

The index's operator class must match the distance the queries order by (`<->` L2, `<#>` inner product,
`<=>` cosine, `<+>` L1; see `vector-opclass-mismatch`). Without queries the fix uses cosine, the usual
distance for text embeddings, and says so. HNSW indexes `vector` up to 2,000 dimensions; wider vectors
are indexed through a `halfvec` expression (up to 4,000).
"""

from __future__ import annotations

import re

from ...schema_model.expressions import columns_in_text
from ...schema_model.model import Column, SchemaModel, Table
from ...sqlident import quote_ident
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import create_index
from ..queries import VECTOR_TYPES

__all__ = ["RULE", "ann_indexes", "check", "dimensions", "index_keys_for"]

RULE = RuleInfo(
    id="vector-without-index",
    severity="warning",
    kb=("pgvector-hnsw", "pgvector-ivfflat", "pgvector-distance-operators"),
    summary="vector columns need an HNSW or IVFFlat index",
)

HNSW_MAX_DIMS = {"vector": 2000, "halfvec": 4000, "sparsevec": 1000}  # sparsevec: non-zero elements


def dimensions(column: Column) -> int | None:
    match = re.search(r"\((\d+)\)", column.type)
    return int(match.group(1)) if match else None


def ann_indexes(table: Table, column: str) -> list[tuple[str, str]]:
    """(index name, distance) of each valid HNSW/IVFFlat index on the column (or an expression of it)."""
    found: list[tuple[str, str]] = []
    for index in table.indexes:
        if index.method not in ("hnsw", "ivfflat") or not index.valid or not index.keys:
            continue
        key = index.keys[0]
        mentions = key.column == column or column in columns_in_text(key.expression)
        if mentions:
            opclass = key.opclass or "vector_l2_ops"
            distance = opclass.rsplit("_ops", 1)[0].rsplit("_", 1)[-1]
            found.append((index.name, distance))
    return found


def index_keys_for(column: Column, distance: str) -> tuple[str, str]:
    """(key SQL, note) of an HNSW index on `column` for `distance`."""
    col = quote_ident(column.name)
    base = column.base_type
    dims = dimensions(column)
    if base == "vector" and dims and dims > HNSW_MAX_DIMS["vector"]:
        return (
            f"({col}::halfvec({dims})) halfvec_{distance}_ops",
            f" HNSW indexes vector up to 2,000 dimensions; this column has {dims}, so the index is on "
            "a halfvec cast (queries must use the same cast to use it).",
        )
    return f"{col} {base}_{distance}_ops", ""


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for table in model.tables:
        for column in table.columns:
            if column.base_type not in VECTOR_TYPES or column.is_array:
                continue
            if ann_indexes(table, column.name):
                continue
            used = sorted(ctx.usage.vector.get((table.schema_name, table.name, column.name), set()))
            distance = used[0] if len(used) == 1 else "cosine"
            keys, note = index_keys_for(column, distance)
            if used:
                chosen = f"The queries order by {', '.join(used)} distance, so the index uses {distance}."
            else:
                chosen = (
                    ("No query given searches this column" if ctx.usage.given else "No queries were given")
                    + ": the fix assumes cosine distance (<=>); use the operator class of the operator your "
                    "queries order by."
                )
            findings.append(
                new_finding(
                    RULE,
                    f"{table.qualified}.{column.name}",
                    why=(
                        f"Nearest-neighbour searches on {column.type} compute the distance to every row "
                        f"(exact scan) without an HNSW or IVFFlat index. {chosen}{note}"
                    ),
                    evidence=f"{column.type} column; no HNSW or IVFFlat index on it",
                    fix=create_index(table, keys, [column.name], method="hnsw"),
                )
            )
    return findings
