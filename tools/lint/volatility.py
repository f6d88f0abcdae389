"""Whether a column DEFAULT expression is volatile, judged from the parse tree without a database.

PostgreSQL 11+ stores a non-volatile default in the catalog and skips the table rewrite; a volatile
default (random(), gen_random_uuid(), clock_timestamp(), nextval()...) is evaluated per row, which
rewrites the table. Unknown functions count as volatile: a false alarm is cheaper than a surprise rewrite.
"""

from __future__ import annotations

from .nodes import Node, func_name, unwrap

__all__ = ["NON_VOLATILE_FUNCTIONS", "is_volatile"]

# Immutable or stable built-ins commonly used in defaults.
NON_VOLATILE_FUNCTIONS = frozenset(
    {
        "now",
        "transaction_timestamp",
        "statement_timestamp",
        "current_setting",
        "lower",
        "upper",
        "length",
        "concat",
        "replace",
        "btrim",
        "trim",
        "abs",
        "round",
        "md5",
        "to_json",
        "to_jsonb",
        "json_build_object",
        "jsonb_build_object",
        "json_build_array",
        "jsonb_build_array",
        "array_fill",
        "make_date",
        "make_interval",
        "make_timestamp",
        "make_timestamptz",
        "date_trunc",
        "timezone",
        "current_user",
        "current_schema",
        "inet_client_addr",
        "int4range",
        "int8range",
        "tstzrange",
        "daterange",
    }
)


def is_volatile(expr: Node | None) -> bool:
    if not expr:
        return False
    kind, body = unwrap(expr)
    if kind in ("A_Const", "SQLValueFunction", "ParamRef"):
        return False
    if kind == "TypeCast":
        return is_volatile(body.get("arg"))
    if kind == "FuncCall":
        if func_name(body) not in NON_VOLATILE_FUNCTIONS:
            return True
        return any(is_volatile(a) for a in body.get("args", []))
    if kind == "A_Expr":
        return is_volatile(body.get("lexpr")) or is_volatile(body.get("rexpr"))
    if kind in ("BoolExpr", "CoalesceExpr", "MinMaxExpr"):
        return any(is_volatile(a) for a in body.get("args", []))
    if kind == "A_ArrayExpr":
        return any(is_volatile(a) for a in body.get("elements", []))
    if kind == "List":
        return any(is_volatile(a) for a in body.get("items", []))
    return True
