"""What a workload asks of each table, read from pglast's parse tree (never from the SQL text).

For every SELECT (including subqueries and CTEs), UPDATE and DELETE it records, per table: equality and
range predicates, sort keys, JSONB operators, unanchored LIKE/ILIKE, vector distance ordering, `->>`
equality and the selected columns. Column names are resolved against the catalog by `resolve_workload`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pglast.parser import ParseError, parse_sql_json

from ..sqltree import walk

__all__ = ["QueryShape", "TableRef", "TableUse", "parse_query"]

_EQ_OPS = {"="}
_RANGE_OPS = {"<", ">", "<=", ">="}
_JSONB_OPS = {"@>", "<@", "?", "?|", "?&", "@?", "@@"}
VECTOR_OPS = {"<->": "vector_l2_ops", "<#>": "vector_ip_ops", "<=>": "vector_cosine_ops", "<+>": "vector_l1_ops"}


@dataclass(frozen=True)
class TableRef:
    schema: str | None
    name: str


@dataclass
class TableUse:
    """How one query uses one table. Column names are raw (as written) until resolved."""

    eq: list[str] = field(default_factory=list)
    eq_literals: dict[str, str] = field(default_factory=dict)  # column -> literal SQL, for partial indexes
    range: list[str] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    jsonb: dict[str, set[str]] = field(default_factory=dict)
    like: set[str] = field(default_factory=set)
    vector: list[tuple[str, str]] = field(default_factory=list)  # (column, operator)
    json_key_eq: list[tuple[str, str]] = field(default_factory=list)  # (column, key) from col ->> 'key' = v
    selected: set[str] = field(default_factory=set)
    select_star: bool = False


@dataclass
class QueryShape:
    sql: str
    kind: str
    has_limit: bool
    parameterized: bool
    uses: list[tuple[TableRef, TableUse]]  # one entry per table per SELECT/UPDATE/DELETE scope
    param_count: int = 0  # highest $n, for planning a generic plan without parsing again


def _strings(items: list[dict[str, Any]]) -> list[str]:
    return [item["String"]["sval"] for item in items if "String" in item]


class _Scope:
    """The tables one SELECT/UPDATE/DELETE reads, by alias."""

    def __init__(self) -> None:
        self.by_alias: dict[str, TableRef] = {}
        self.order: list[TableRef] = []

    def add(self, range_var: dict[str, Any]) -> None:
        ref = TableRef(range_var.get("schemaname"), range_var["relname"])
        alias = (range_var.get("alias") or {}).get("aliasname") or range_var["relname"]
        self.by_alias[alias] = ref
        if ref not in self.order:
            self.order.append(ref)

    def collect_from(self, from_items: list[dict[str, Any]]) -> None:
        for item in from_items:
            self._collect(item)

    def _collect(self, item: dict[str, Any]) -> None:
        if "RangeVar" in item:
            self.add(item["RangeVar"])
        elif "JoinExpr" in item:
            join = item["JoinExpr"]
            self._collect(join["larg"])
            self._collect(join["rarg"])


@dataclass
class _Column:
    qualifier: str | None
    name: str


def _column(node: dict[str, Any] | None) -> _Column | None:
    if not node or "ColumnRef" not in node:
        return None
    fields = node["ColumnRef"]["fields"]
    if any("A_Star" in f for f in fields):
        return None
    names = _strings(fields)
    if len(names) == 1:
        return _Column(None, names[0])
    if len(names) >= 2:
        return _Column(names[-2], names[-1])
    return None


def _has_column(node: Any) -> bool:
    return any(kind == "ColumnRef" for kind, _ in walk({"x": node}))


def _literal(node: dict[str, Any] | None) -> str | None:
    """SQL text of a plain literal (for a partial-index predicate), else None."""
    if not node:
        return None
    if "TypeCast" in node:
        return _literal(node["TypeCast"].get("arg"))
    const = node.get("A_Const")
    if not const or const.get("isnull"):
        return None
    if "sval" in const:
        return "'" + const["sval"]["sval"].replace("'", "''") + "'"
    if "ival" in const:
        return str(const["ival"].get("ival", 0))
    if "boolval" in const:
        return "true" if const["boolval"].get("boolval") else "false"
    return None


class _Analyzer:
    def __init__(self) -> None:
        self._uses: dict[tuple[int, TableRef], TableUse] = {}
        self._scope_id = 0
        self.has_limit = False
        self.parameterized = False

    def _use(self, ref: TableRef) -> TableUse:
        # Keyed by scope: `WHERE a = 1` in a subquery and `b = 2` outside are two accesses, not one.
        return self._uses.setdefault((self._scope_id, ref), TableUse())

    def uses(self) -> list[tuple[TableRef, TableUse]]:
        return [(ref, use) for (_, ref), use in self._uses.items()]

    def _resolve(self, scope: _Scope, col: _Column) -> tuple[TableRef, str] | None:
        if col.qualifier is not None:
            ref = scope.by_alias.get(col.qualifier)
            return (ref, col.name) if ref else None
        if len(scope.order) == 1:
            return scope.order[0], col.name
        # Ambiguous without the catalog: keep it on every table; resolution drops unknown columns later.
        return None

    def _assign(self, scope: _Scope, col: _Column) -> list[tuple[TableRef, str]]:
        resolved = self._resolve(scope, col)
        if resolved:
            return [resolved]
        if col.qualifier is None:
            return [(ref, col.name) for ref in scope.order]
        return []

    def predicate(self, scope: _Scope, node: dict[str, Any] | None) -> None:
        if not node:
            return
        if "BoolExpr" in node:
            expr = node["BoolExpr"]
            if expr["boolop"] == "AND_EXPR":
                for arg in expr["args"]:
                    self.predicate(scope, arg)
            return  # OR/NOT: no single index serves them reliably
        if "A_Expr" not in node:
            return
        expr = node["A_Expr"]
        kind = expr["kind"]
        op = _strings(expr.get("name", []))[-1] if expr.get("name") else ""
        left, right = expr.get("lexpr"), expr.get("rexpr")
        col, other = _column(left), right
        if col is None and kind == "AEXPR_OP":
            col, other = _column(right), left
        if kind == "AEXPR_OP" and op in _EQ_OPS and left and "A_Expr" in left:
            self._json_key(scope, left["A_Expr"], right)
        if col is None:
            return
        if kind == "AEXPR_OP" and op in _EQ_OPS and _column(other) is not None:
            # A join key: each side may want an index led by its column.
            for side in (col, _column(other)):
                for ref, name in self._assign(scope, side):  # type: ignore[arg-type]
                    self._use(ref).eq.append(name)
            return
        targets = self._assign(scope, col)
        joins_other = _has_column(other)
        for ref, name in targets:
            use = self._use(ref)
            if kind == "AEXPR_OP" and op in _EQ_OPS:
                use.eq.append(name)
                literal = None if joins_other else _literal(other)
                if literal is not None:
                    use.eq_literals[name] = literal
            elif kind == "AEXPR_IN" or (kind == "AEXPR_OP_ANY" and op in _EQ_OPS):
                use.eq.append(name)
            elif (kind == "AEXPR_OP" and op in _RANGE_OPS) or kind in ("AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN"):
                use.range.append(name)
            elif kind == "AEXPR_OP" and op in _JSONB_OPS and not joins_other:
                use.jsonb.setdefault(name, set()).add(op)
            elif kind in ("AEXPR_LIKE", "AEXPR_ILIKE") and op in ("~~", "~~*"):
                pattern = _literal(right)
                if pattern is None or pattern.startswith("'%") or pattern.startswith("'_"):
                    use.like.add(name)
                elif kind == "AEXPR_LIKE":
                    use.range.append(name)  # an anchored prefix is a range scan on a btree (C collation)

    def _json_key(self, scope: _Scope, arrow: dict[str, Any], value: Any) -> None:
        names = _strings(arrow.get("name", []))
        if not names or names[-1] != "->>" or _has_column(value):
            return
        col, key = _column(arrow.get("lexpr")), _literal(arrow.get("rexpr"))
        if col is None or key is None:
            return
        for ref, name in self._assign(scope, col):
            self._use(ref).json_key_eq.append((name, key))

    def select(self, stmt: dict[str, Any]) -> None:
        if stmt.get("op", "SETOP_NONE") != "SETOP_NONE":
            # UNION/INTERSECT/EXCEPT arms are bare SelectStmt bodies (not wrapped), so walk misses them.
            for side in ("larg", "rarg"):
                if stmt.get(side):
                    self.select(stmt[side])
            return
        self._scope_id += 1
        scope = _Scope()
        scope.collect_from(stmt.get("fromClause", []))
        for _, join in _joins(stmt.get("fromClause", [])):
            self.predicate(scope, join.get("quals"))
        self.predicate(scope, stmt.get("whereClause"))
        if stmt.get("limitCount"):
            self.has_limit = True
        for item in stmt.get("sortClause", []):
            sort = item.get("SortBy", {})
            target = sort.get("node", {})
            desc = sort.get("sortby_dir") == "SORTBY_DESC"
            col = _column(target)
            if col is not None:
                for ref, name in self._assign(scope, col):
                    self._use(ref).sort.append((name, desc))
            elif "A_Expr" in target:
                expr = target["A_Expr"]
                op = _strings(expr.get("name", []))[-1] if expr.get("name") else ""
                vcol = _column(expr.get("lexpr")) or _column(expr.get("rexpr"))
                if op in VECTOR_OPS and vcol is not None:
                    for ref, name in self._assign(scope, vcol):
                        self._use(ref).vector.append((name, op))
        for target in stmt.get("targetList", []):
            value = target.get("ResTarget", {}).get("val", {})
            fields = value.get("ColumnRef", {}).get("fields", [])
            if any("A_Star" in f for f in fields):
                for ref in scope.order:
                    self._use(ref).select_star = True
                continue
            for kind, node in walk({"x": value}):
                if kind == "ColumnRef":
                    col = _column({"ColumnRef": node})
                    if col is not None:
                        for ref, name in self._assign(scope, col):
                            self._use(ref).selected.add(name)
        for ref in scope.order:
            self._use(ref)

    def modify(self, stmt: dict[str, Any]) -> None:
        self._scope_id += 1
        scope = _Scope()
        scope.add(stmt["relation"])
        scope.collect_from(stmt.get("fromClause", []) + stmt.get("usingClause", []))
        self.predicate(scope, stmt.get("whereClause"))


def _joins(items: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in items:
        if "JoinExpr" in item:
            join = item["JoinExpr"]
            yield "JoinExpr", join
            yield from _joins([join["larg"], join["rarg"]])


def parse_query(sql: str) -> QueryShape:
    """The shape of one statement; raises ValueError (with pglast's message) if it does not parse."""
    try:
        tree = json.loads(parse_sql_json(sql))
    except ParseError as exc:
        raise ValueError(f"does not parse: {exc.args[0]}") from None
    stmts = tree.get("stmts", [])
    if len(stmts) != 1:
        raise ValueError("must be exactly one statement")
    stmt = stmts[0]["stmt"]
    top = next(iter(stmt))
    analyzer = _Analyzer()
    params = [int(node.get("number", 0)) for kind, node in walk(stmt) if kind == "ParamRef"]
    analyzer.parameterized = bool(params)
    # Every SELECT (top level, CTEs, subqueries) and UPDATE/DELETE is analysed in its own scope.
    for kind, node in walk(stmt):
        if kind == "SelectStmt":
            analyzer.select(node)
        elif kind in ("UpdateStmt", "DeleteStmt"):
            analyzer.modify(node)
    return QueryShape(sql, top, analyzer.has_limit, analyzer.parameterized, analyzer.uses(), max(params, default=0))
