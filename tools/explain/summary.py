"""Turning EXPLAIN (FORMAT JSON) output into a compact plan an agent can read, with warnings.

The summary keeps, per node, what explains a plan's cost: node type, relation and index, estimated
versus actual rows, loops, cost, time, shared buffers, and the condition that selects rows. Warnings
point at the usual culprits: large row misestimates, sequential scans of large tables that filter,
sorts and hashes spilling to disk.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from ..plumbing import CompactModel

__all__ = [
    "LARGE_TABLE_ROWS",
    "MISESTIMATE_FACTOR",
    "PlanNode",
    "PlanSummary",
    "relations_in",
    "summarize_plan",
]

MISESTIMATE_FACTOR = 10
LARGE_TABLE_ROWS = 10_000
_MAX_NODES = 200
_MAX_TEXT = 300


class PlanNode(CompactModel):
    node_type: str
    relation: str | None = None
    index: str | None = None
    join_type: str | None = None
    condition: str | None = Field(None, description="index/hash/merge/join condition or filter")
    estimated_rows: float
    actual_rows: float | None = Field(None, description="rows per loop, as EXPLAIN ANALYZE reports them")
    loops: int | None = None
    total_cost: float
    actual_time_ms: float | None = Field(None, description="total time of the node over all loops")
    shared_hit: int | None = None
    shared_read: int | None = None
    rows_removed: int | None = Field(None, description="rows removed by filter, over all loops")
    sort: str | None = Field(None, description="sort method and space, e.g. 'external merge, Disk 1024 kB'")
    children: list[PlanNode] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Agents pay for every token: leave out what a node does not have.
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None and v != []}


class PlanSummary(CompactModel):
    statement_kind: str
    analyzed: bool
    total_cost: float
    estimated_rows: float
    planning_time_ms: float | None = None
    execution_time_ms: float | None = None
    plan: PlanNode
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    hypothetical_indexes: list[str] = Field(default_factory=list, description="names HypoPG gave them")
    hypothetical_indexes_used: list[str] = Field(default_factory=list)
    raw: list[Any] | None = Field(None, description="EXPLAIN (FORMAT JSON) output, when format='json'")
    truncated: bool = False


def _short(text: Any) -> str | None:
    if text is None:
        return None
    value = str(text)
    return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + "…"


def _relation(node: dict[str, Any]) -> str | None:
    name = node.get("Relation Name") or node.get("CTE Name") or node.get("Function Name")
    if not name:
        return None
    schema = node.get("Schema")
    alias = node.get("Alias")
    text = f"{schema}.{name}" if schema and schema not in ("public", "pg_catalog") else str(name)
    return f"{text} {alias}" if alias and alias != name else text


def _condition(node: dict[str, Any]) -> str | None:
    for key in ("Index Cond", "Hash Cond", "Merge Cond", "Join Filter", "Recheck Cond", "Filter"):
        if node.get(key):
            return _short(node[key])
    return None


def _sort(node: dict[str, Any]) -> str | None:
    if "Sort Method" not in node:
        return None
    space = node.get("Sort Space Type")
    used = node.get("Sort Space Used")
    return f"{node['Sort Method']}, {space} {used} kB" if space else str(node["Sort Method"])


class _Budget:
    def __init__(self) -> None:
        self.left = _MAX_NODES
        self.truncated = False


def _node(raw: dict[str, Any], budget: _Budget) -> PlanNode:
    budget.left -= 1
    loops = raw.get("Actual Loops")
    actual_total = raw.get("Actual Total Time")
    removed = raw.get("Rows Removed by Filter")
    hit = raw.get("Shared Hit Blocks")
    read = raw.get("Shared Read Blocks")
    children: list[PlanNode] = []
    for child in raw.get("Plans", []) or []:
        if budget.left <= 0:
            budget.truncated = True
            break
        children.append(_node(child, budget))
    return PlanNode(
        node_type=str(raw.get("Node Type", "?")),
        relation=_relation(raw),
        index=raw.get("Index Name"),
        join_type=raw.get("Join Type"),
        condition=_condition(raw),
        estimated_rows=float(raw.get("Plan Rows", 0)),
        actual_rows=float(raw["Actual Rows"]) if "Actual Rows" in raw else None,
        loops=int(loops) if loops is not None else None,
        total_cost=float(raw.get("Total Cost", 0.0)),
        actual_time_ms=round(float(actual_total) * (loops or 1), 3) if actual_total is not None else None,
        shared_hit=int(hit) if hit is not None else None,
        shared_read=int(read) if read is not None else None,
        rows_removed=int(removed) * (loops or 1) if removed is not None else None,
        sort=_sort(raw),
        children=children,
    )


def relations_in(raw_plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(schema, table) of every sequentially scanned relation, for the size lookup behind warnings."""
    found: list[tuple[str, str]] = []
    stack = [raw_plan]
    while stack:
        node = stack.pop()
        if node.get("Node Type") in ("Seq Scan", "Parallel Seq Scan") and node.get("Relation Name"):
            found.append((str(node.get("Schema") or "public"), str(node["Relation Name"])))
        stack.extend(node.get("Plans", []) or [])
    return list(dict.fromkeys(found))


def _warnings(raw: dict[str, Any], table_rows: dict[tuple[str, str], float], out: list[str]) -> None:
    kind = raw.get("Node Type", "?")
    where = _relation(raw) or kind
    if "Actual Rows" in raw and raw.get("Actual Loops"):
        estimated = float(raw.get("Plan Rows", 0))
        actual = float(raw["Actual Rows"])
        low, high = sorted((max(estimated, 1.0), max(actual, 1.0)))
        if high / low >= MISESTIMATE_FACTOR and abs(actual - estimated) >= 100:
            out.append(
                f"Row misestimate on {kind} ({where}): estimated {estimated:g} rows, actual {actual:g} per loop; "
                "run ANALYZE on the table, or add extended statistics (CREATE STATISTICS) for correlated "
                "columns."
            )
    if kind in ("Seq Scan", "Parallel Seq Scan") and raw.get("Relation Name"):
        key = (str(raw.get("Schema") or "public"), str(raw["Relation Name"]))
        rows = table_rows.get(key, 0.0)
        if rows >= LARGE_TABLE_ROWS and raw.get("Filter"):
            out.append(
                f"Sequential scan of {key[0]}.{key[1]} (about {rows:,.0f} rows) filtering on "
                f"{_short(raw['Filter'])}: an index on the filtered columns may help if the filter is selective."
            )
    if raw.get("Sort Space Type") == "Disk":
        out.append(
            f"Sort spilled to disk ({raw.get('Sort Space Used')} kB, {raw.get('Sort Method')}): raise work_mem "
            "for this query or sort fewer rows."
        )
    if int(raw.get("Hash Batches", 1) or 1) > 1:
        out.append(
            f"Hash used {raw['Hash Batches']} batches (spilled to disk, peak {raw.get('Peak Memory Usage')} kB): "
            "raise work_mem or reduce the hashed input."
        )
    if raw.get("Disk Usage") and kind in ("Aggregate", "HashAggregate"):
        out.append(f"Hash aggregate spilled {raw['Disk Usage']} kB to disk: raise work_mem.")
    for child in raw.get("Plans", []) or []:
        _warnings(child, table_rows, out)


def _indexes_used(node: PlanNode, out: list[str]) -> None:
    if node.index:
        out.append(node.index)
    for child in node.children:
        _indexes_used(child, out)


def summarize_plan(
    explain_json: list[Any],
    *,
    statement_kind: str,
    analyzed: bool,
    table_rows: dict[tuple[str, str], float] | None = None,
    hypothetical: list[str] | None = None,
    include_raw: bool = False,
) -> PlanSummary:
    """Build the summary from EXPLAIN's JSON document (a one-element list)."""
    top = explain_json[0]
    raw_plan = top["Plan"]
    budget = _Budget()
    root = _node(raw_plan, budget)
    warnings: list[str] = []
    _warnings(raw_plan, table_rows or {}, warnings)
    used: list[str] = []
    _indexes_used(root, used)
    hypo = hypothetical or []
    return PlanSummary(
        statement_kind=statement_kind,
        analyzed=analyzed,
        total_cost=float(raw_plan.get("Total Cost", 0.0)),
        estimated_rows=float(raw_plan.get("Plan Rows", 0)),
        planning_time_ms=top.get("Planning Time"),
        execution_time_ms=top.get("Execution Time"),
        plan=root,
        warnings=list(dict.fromkeys(warnings)),
        hypothetical_indexes=hypo,
        hypothetical_indexes_used=[name for name in dict.fromkeys(used) if name in hypo],
        raw=explain_json if include_raw else None,
        truncated=budget.truncated,
    )
