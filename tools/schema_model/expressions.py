"""Reading expressions from pglast's JSON tree: the columns they mention, and SQL text for them.

`parse_sql_json` is what pgsage reads trees with (fast, plain dicts); to print an expression back as SQL
the JSON subtree is turned into pglast's node objects and printed with `RawStream`.
"""

from __future__ import annotations

import json
from typing import Any

from pglast import ast
from pglast.parser import ParseError, parse_sql_json
from pglast.stream import RawStream

from ..sqltree import walk

__all__ = ["column_refs", "columns_in_text", "deparse"]

# A_Const keeps its value under one of these keys, as the node class of that value.
_CONST_VALUES = {"ival": "Integer", "fval": "Float", "sval": "String", "boolval": "Boolean", "bsval": "BitString"}
_CONST_ZERO: dict[str, Any] = {"ival": 0, "fval": "0", "sval": "", "boolval": False, "bsval": ""}
_ABSTRACT = {"Node", "Expr", "List"}


def column_refs(node: Any) -> list[str]:
    """Names of the columns a JSON expression refers to (last part of each ColumnRef), in order, once."""
    seen: dict[str, None] = {}
    for kind, fields in walk(node):
        if kind == "ColumnRef":
            last = (fields.get("fields") or [{}])[-1]
            name = last.get("String", {}).get("sval") if isinstance(last, dict) else None
            if name:
                seen.setdefault(name, None)
    return list(seen)


def columns_in_text(expression: str | None) -> list[str]:
    """Columns referred to by an SQL expression given as text (as the catalog prints it)."""
    if not expression:
        return []
    try:
        tree = json.loads(parse_sql_json(f"SELECT {expression}"))
    except ParseError:
        return []
    return column_refs(tree["stmts"][0]["stmt"])


def _to_node_data(cls_name: str, fields: dict[str, Any]) -> dict[str, Any]:
    cls = getattr(ast, cls_name)
    slots = cls.__slots__
    data: dict[str, Any] = {"@": cls_name}
    if cls_name == "A_Const":
        for key, value_cls in _CONST_VALUES.items():
            if key in fields:
                inner = fields[key]
                data["val"] = {"@": value_cls, key: inner.get(key, _CONST_ZERO[key])}
        if fields.get("isnull"):
            data["isnull"] = True
        return data
    for name, value in fields.items():
        info = slots.get(name) if isinstance(slots, dict) else None
        ctype = getattr(info, "c_type", "") or ""
        wrapped = isinstance(value, dict) and len(value) == 1 and hasattr(ast, next(iter(value)))
        struct = ctype[:-1] if ctype.endswith("*") else ""
        if not wrapped and isinstance(value, dict) and struct not in _ABSTRACT and hasattr(ast, struct):
            data[name] = _to_node_data(struct, value)
        else:
            data[name] = _convert(value)
    return data


def _convert(value: Any) -> Any:
    if isinstance(value, list):
        return [_convert(item) for item in value]
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "List" and isinstance(inner, dict):
            return [_convert(item) for item in inner.get("items", [])]
        if isinstance(inner, dict) and hasattr(ast, key):
            return _to_node_data(key, inner)
    return value


def _const_text(const: dict[str, Any]) -> str | None:
    if const.get("isnull"):
        return "NULL"
    if "ival" in const:
        return str(const["ival"].get("ival", 0))
    if "fval" in const:
        return str(const["fval"].get("fval", "0"))
    if "boolval" in const:
        return "TRUE" if const["boolval"].get("boolval") else "FALSE"
    if "sval" in const:
        text = str(const["sval"].get("sval", ""))
        return None if "\\" in text else "'" + text.replace("'", "''") + "'"
    return None


def _fast_deparse(node: Any) -> str | None:
    """Text of the few shapes most defaults take (constants, `now()`), without pglast's slower printer."""
    if not isinstance(node, dict) or len(node) != 1:
        return None
    ((kind, fields),) = node.items()
    if kind == "A_Const":
        return _const_text(fields)
    if kind == "FuncCall" and set(fields) <= {"funcname", "funcformat", "location"}:
        names = [n.get("String", {}).get("sval") for n in fields.get("funcname") or []]
        if names and all(n and n.isidentifier() and n.islower() for n in names):
            return ".".join(str(n) for n in names) + "()"
    return None


def deparse(node: Any) -> str:
    """SQL text of a JSON expression node, e.g. `{"A_Expr": ...}` -> `a > 0`."""
    fast = _fast_deparse(node)
    if fast is not None:
        return fast
    data = _convert(node)
    try:
        return RawStream()(getattr(ast, data["@"])(data))
    except Exception:  # pglast cannot print every node; the text is informative only
        return "<expression>"
