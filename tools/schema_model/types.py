"""Type names from SQL text, spelled the way PostgreSQL's `format_type()` prints them.

The parser already folds most spellings (`int`, `integer` -> int4; `double precision` -> float8;
`timestamp with time zone` -> timestamptz); this maps the internal names to what the catalog shows and
expands the serial pseudo-types the way CREATE TABLE does (an integer type plus a sequence default).
"""

from __future__ import annotations

from typing import Any

__all__ = ["SERIAL_TYPES", "format_type", "type_parts"]

# internal name -> format_type spelling (without modifiers)
_NAMES = {
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "bpchar": "character",
    "varbit": "bit varying",
    "numeric": "numeric",
    "decimal": "numeric",
    "char": '"char"',  # only reached when written quoted ("char"); bare `char` parses as bpchar
}
# serial pseudo-type -> the integer type the column really gets
SERIAL_TYPES = {
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
}
_VISIBLE_SCHEMAS = {"pg_catalog", "public"}


def _typmod_values(type_name: dict[str, Any]) -> list[str]:
    values: list[str] = []
    for mod in type_name.get("typmods") or []:
        const = mod.get("A_Const", {}) if isinstance(mod, dict) else {}
        if "ival" in const:
            values.append(str(const["ival"].get("ival", 0)))
        elif "sval" in const:
            values.append(str(const["sval"].get("sval", "")))
        elif "fval" in const:
            values.append(str(const["fval"].get("fval", "0")))
        elif "ColumnRef" in mod:  # geometry(Point, 4326): the first modifier parses as a name
            fields = mod["ColumnRef"].get("fields") or []
            values.append(".".join(f.get("String", {}).get("sval", "") for f in fields))
    return values


def type_parts(type_name: dict[str, Any]) -> tuple[str | None, str]:
    """(schema or None, internal name) of a JSON TypeName."""
    names = [n.get("String", {}).get("sval", "") for n in type_name.get("names") or []]
    if len(names) >= 2:
        return names[-2], names[-1]
    return None, names[-1] if names else ""


def format_type(type_name: dict[str, Any]) -> str:
    """The format_type() spelling of a JSON TypeName (serial types give their integer type)."""
    schema, name = type_parts(type_name)
    mods = _typmod_values(type_name)
    array = "[]" if type_name.get("arrayBounds") else ""
    if name in SERIAL_TYPES:
        return SERIAL_TYPES[name] + array
    if name in ("timestamp", "timestamptz", "time", "timetz"):
        zone = "with time zone" if name.endswith("tz") else "without time zone"
        base = name.removesuffix("tz")
        precision = f"({mods[0]})" if mods else ""
        return f"{base}{precision} {zone}{array}"
    if name == "bpchar" and not mods:
        return "bpchar" + array  # written as `bpchar`: no length limit, printed as such
    if name == "numeric" and len(mods) == 1:
        mods = [mods[0], "0"]
    if name == "interval":
        mods = []  # interval field restrictions are encoded in the typmod; rare in schemas
    spelled = _NAMES.get(name, name) if schema in (None, "pg_catalog") else name
    if schema and schema not in _VISIBLE_SCHEMAS:
        spelled = f"{schema}.{spelled}"
    suffix = f"({','.join(mods)})" if mods else ""
    return f"{spelled}{suffix}{array}"
