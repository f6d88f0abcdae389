"""What a workload does to JSONB and vector columns, read from its SQL with pglast.

The schema alone cannot say whether a jsonb column is searched by containment or which distance a vector
column is ordered by; the queries can. Each operator use is resolved to a table column through the
statement's FROM items (aliases included); an unqualified column is matched against every table of the
statement that has it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pglast.parser import ParseError, parse_sql_json

from ..errors import InvalidInput
from ..schema_model.model import SchemaModel, Table
from ..sqltree import walk

__all__ = [
    "JSONB_OPERATORS",
    "VECTOR_OPERATORS",
    "VECTOR_TYPES",
    "ColumnKey",
    "QueryUsage",
    "analyze_queries",
]

ColumnKey = tuple[str, str, str]  # schema, table, column

# Operators a GIN index on a jsonb column can serve (`<@` only with the column on the right).
JSONB_OPERATORS = frozenset({"@>", "<@", "?", "?|", "?&", "@?", "@@"})
# pgvector distance operator -> the distance its operator classes are named after.
VECTOR_OPERATORS = {"<->": "l2", "<#>": "ip", "<=>": "cosine", "<+>": "l1"}
VECTOR_TYPES = frozenset({"vector", "halfvec", "sparsevec"})


@dataclass
class QueryUsage:
    jsonb: dict[ColumnKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    vector: dict[ColumnKey, set[str]] = field(default_factory=lambda: defaultdict(set))  # distances
    given: bool = False  # whether any queries were supplied at all
    skipped: int = 0  # workload statements that did not parse


def _column_ref(node: Any) -> list[str] | None:
    """Name parts of a column reference, looking through casts (`col::jsonb`)."""
    while isinstance(node, dict) and "TypeCast" in node:
        node = node["TypeCast"].get("arg")
    if isinstance(node, dict) and "ColumnRef" in node:
        fields = node["ColumnRef"].get("fields") or []
        names = [f.get("String", {}).get("sval") for f in fields if isinstance(f, dict)]
        if names and all(names):
            return [n for n in names if n]
    return None


def _relations(stmt: Any, model: SchemaModel) -> dict[str, Table]:
    """alias-or-name -> model table for every relation the statement mentions."""
    found: dict[str, Table] = {}
    for kind, fields in walk(stmt):
        if kind != "RangeVar":
            continue
        table = model.table(fields.get("relname", ""), fields.get("schemaname"))
        if table is None:
            continue
        alias = (fields.get("alias") or {}).get("aliasname")
        found[alias or table.name] = table
        found.setdefault(table.name, table)
    return found


def _resolve(parts: list[str], relations: dict[str, Table]) -> list[tuple[Table, str]]:
    column = parts[-1]
    if len(parts) >= 2:
        table = relations.get(parts[-2])
        return [(table, column)] if table is not None and table.column(column) else []
    seen: dict[str, tuple[Table, str]] = {}
    for table in relations.values():
        if table.column(column) is not None:
            seen[table.qualified] = (table, column)
    return list(seen.values())


def analyze_queries(queries: list[str] | None, model: SchemaModel, workload: list[str] | None = None) -> QueryUsage:
    """Find the jsonb operators and vector distances each column is used with.

    `queries` come from the user: one that does not parse is an error. `workload` comes from
    pg_stat_statements, where truncated or hidden texts are normal: those are counted in `skipped`.
    """
    usage = QueryUsage(given=bool(queries) or bool(workload))
    strict = len(queries or [])
    for number, query in enumerate([*(queries or []), *(workload or [])], start=1):
        try:
            tree = json.loads(parse_sql_json(query))
        except ParseError as exc:
            if number > strict:
                usage.skipped += 1
                continue
            raise InvalidInput(f"query {number} does not parse: {exc.args[0]}") from None
        for raw in tree.get("stmts", []):
            stmt = raw["stmt"]
            relations = _relations(stmt, model)
            if not relations:
                continue
            for kind, fields in walk(stmt):
                if kind != "A_Expr" or fields.get("kind") != "AEXPR_OP":
                    continue
                names = [n.get("String", {}).get("sval") for n in fields.get("name") or []]
                op = names[-1] if names else None
                if op in JSONB_OPERATORS:
                    _record_jsonb(usage, op, fields, relations)
                elif op in VECTOR_OPERATORS:
                    for side in ("lexpr", "rexpr"):
                        parts = _column_ref(fields.get(side))
                        for table, column in _resolve(parts, relations) if parts else []:
                            col = table.column(column)
                            if col is not None and col.base_type in VECTOR_TYPES:
                                key = (table.schema_name, table.name, column)
                                usage.vector[key].add(VECTOR_OPERATORS[op])
    return usage


def _record_jsonb(usage: QueryUsage, op: str, fields: dict[str, Any], relations: dict[str, Table]) -> None:
    # `x <@ col` is `col @> x` (the planner commutes it); `col <@ x` no GIN operator class can serve.
    if op == "<@":
        parts, op = _column_ref(fields.get("rexpr")), "@>"
    else:
        parts = _column_ref(fields.get("lexpr"))
    for table, column in _resolve(parts, relations) if parts else []:
        col = table.column(column)
        if col is not None and col.type == "jsonb":
            usage.jsonb[(table.schema_name, table.name, column)].add(op)
