"""Small readers over pglast's JSON parse tree (dicts keyed by node type), shared by the rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = [
    "Node",
    "column_defs",
    "const_int",
    "constraints_of",
    "func_name",
    "is_serial",
    "relname",
    "strings",
    "type_name",
    "type_sql",
    "typmods",
    "unwrap",
    "walk",
]

Node = dict[str, Any]

_SERIALS = {"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"}


def unwrap(node: Node) -> tuple[str, Node]:
    """{"ColumnDef": {...}} -> ("ColumnDef", {...})."""
    ((kind, body),) = node.items()
    return kind, body


def strings(items: list[Node] | None) -> list[str]:
    """The sval of each String node in a name list (["pg_catalog", "int4"])."""
    out = []
    for item in items or []:
        value = item.get("String", {}).get("sval")
        if value is not None:
            out.append(value)
    return out


def relname(rel: Node | None) -> str:
    return (rel or {}).get("relname", "")


def type_name(type_node: Node | None) -> str:
    """Last part of the type name, as PostgreSQL spells it internally: int4, varchar, bpchar, timestamptz."""
    names = strings((type_node or {}).get("names"))
    return names[-1].lower() if names else ""


def const_int(node: Node) -> int | None:
    value = node.get("A_Const", {}).get("ival")
    if isinstance(value, dict):
        return int(value.get("ival", 0))
    return None


def typmods(type_node: Node | None) -> list[int | None]:
    return [const_int(m) for m in (type_node or {}).get("typmods", [])]


_DISPLAY = {
    "int4": "integer",
    "int8": "bigint",
    "int2": "smallint",
    "bool": "boolean",
    "bpchar": "char",
    "float8": "double precision",
    "float4": "real",
}


def type_sql(type_node: Node | None) -> str:
    """A readable spelling of a type, e.g. varchar(20), numeric(10,2), integer[]."""
    name = type_name(type_node)
    name = _DISPLAY.get(name, name)
    mods = typmods(type_node)
    text = f"{name}({','.join(str(m) for m in mods)})" if mods else name
    if (type_node or {}).get("arrayBounds"):
        text += "[]"
    return text


def is_serial(type_node: Node | None) -> bool:
    names = strings((type_node or {}).get("names"))
    return len(names) == 1 and names[0].lower() in _SERIALS


def constraints_of(coldef: Node) -> list[Node]:
    return [c["Constraint"] for c in coldef.get("constraints", []) if "Constraint" in c]


def func_name(call: Node) -> str:
    names = strings(call.get("funcname"))
    return names[-1].lower() if names else ""


def walk(node: Any) -> Iterator[tuple[str, Node]]:
    """Every typed node below `node`, depth first, as (type, body)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key[:1].isupper() and isinstance(value, dict):
                yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def column_defs(kind: str, stmt: Node) -> Iterator[tuple[str, Node, bool]]:
    """(table, ColumnDef, is_new_table) for every column a CREATE TABLE or ALTER TABLE ADD COLUMN defines."""
    if kind == "CreateStmt":
        table = relname(stmt.get("relation"))
        for elt in stmt.get("tableElts", []):
            if "ColumnDef" in elt:
                yield table, elt["ColumnDef"], True
    elif kind == "AlterTableStmt":
        table = relname(stmt.get("relation"))
        for cmd in stmt.get("cmds", []):
            body = cmd.get("AlterTableCmd", {})
            if body.get("subtype") == "AT_AddColumn" and "ColumnDef" in body.get("def", {}):
                yield table, body["def"]["ColumnDef"], False
