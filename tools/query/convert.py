"""Turning asyncpg values into compact JSON-safe values, and JSON arguments into bind values.

Results go to an agent as JSON: exact numbers stay exact (a Decimal that a float would change becomes a
string), times become ISO 8601, binary becomes `\\x` hex, ranges and geometric types their PostgreSQL
text form. Long values are cut so one cell cannot blow the byte cap.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import math
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

import asyncpg

from ..errors import InvalidInput

__all__ = ["bind_value", "interval_text", "to_json_value", "type_display"]


def type_display(attr_type: Any) -> str:
    """asyncpg's Type -> the name a user writes ('_int4' arrays become 'int4[]')."""
    name = str(getattr(attr_type, "name", "unknown"))
    if getattr(attr_type, "kind", "") == "array" and name.startswith("_"):
        return name[1:] + "[]"
    return name


def interval_text(value: dt.timedelta) -> str:
    """A timedelta as ISO 8601 (P1DT2H3M4.5S); asyncpg has already folded months into 30-day days."""
    total = value.total_seconds()
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    out = f"{sign}P{int(days)}D" if days else f"{sign}P"
    clock = ""
    if hours:
        clock += f"{int(hours)}H"
    if minutes:
        clock += f"{int(minutes)}M"
    if seconds or not (days or clock):
        clock += f"{seconds:g}S"
    return out + ("T" + clock if clock else "")


def _decimal(value: Decimal) -> float | int | str:
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    as_float = float(value)
    try:
        exact = Decimal(repr(as_float)) == value
    except InvalidOperation:
        exact = False
    return as_float if exact else str(value)


def _range(value: asyncpg.Range, cap: int) -> str:
    if value.isempty:
        return "empty"
    lower = "" if value.lower is None else _text(to_json_value(value.lower, cap))
    upper = "" if value.upper is None else _text(to_json_value(value.upper, cap))
    return ("[" if value.lower_inc else "(") + f"{lower},{upper}" + ("]" if value.upper_inc else ")")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _cut(text: str, cap: int) -> str:
    if len(text) <= cap:
        return text
    return text[:cap] + f"…[{len(text) - cap} more characters]"


def to_json_value(value: Any, cap: int = 10_000, *, type_name: str | None = None) -> Any:
    """A JSON-safe rendering of one column value; strings longer than `cap` characters are cut."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        if type_name in ("json", "jsonb") and len(value) <= cap:
            try:
                return json.loads(value)
            except ValueError:
                return value
        return _cut(value, cap)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return interval_text(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        return _cut("\\x" + raw[: cap // 2 + 1].hex(), cap) if len(raw) * 2 > cap else "\\x" + raw.hex()
    if isinstance(value, asyncpg.Range):
        return _range(value, cap)
    if isinstance(value, asyncpg.Record):
        return {key: to_json_value(item, cap) for key, item in value.items()}
    if isinstance(value, asyncpg.BitString):
        return _cut(value.as_string(), cap)
    if isinstance(value, asyncpg.Path):
        # Paths and polygons: their points as [x, y] pairs (points, boxes and circles are tuples below).
        return [list(point) for point in value]
    if isinstance(value, list | tuple):
        return [to_json_value(item, cap) for item in value]
    if isinstance(value, dict):
        return {str(k): to_json_value(v, cap) for k, v in value.items()}
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress._BaseNetwork):
        return str(value)
    return _cut(str(value), cap)


_INTS = frozenset({"int2", "int4", "int8", "oid"})
_FLOATS = frozenset({"float4", "float8"})


def bind_value(value: Any, type_name: str, index: int) -> Any:
    """A JSON argument converted to what asyncpg's codec for `type_name` expects; InvalidInput if not."""
    if value is None:
        return None
    base = type_name[1:] if type_name.startswith("_") else type_name
    if type_name.startswith("_") and isinstance(value, list):
        return [bind_value(item, base, index) for item in value]
    try:
        if base in _INTS:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError("not an integer")
            return int(value)
        if base in _FLOATS:
            return float(value)
        if base == "numeric":
            return Decimal(str(value))
        if base == "bool":
            if isinstance(value, str):
                return value.strip().lower() in ("t", "true", "yes", "on", "1")
            return bool(value)
        if base == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if base in ("timestamp", "timestamptz") and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        if base in ("time", "timetz") and isinstance(value, str):
            return dt.time.fromisoformat(value)
        if base == "uuid" and isinstance(value, str):
            return uuid.UUID(value)
        if base in ("json", "jsonb") and not isinstance(value, str):
            return json.dumps(value)
        if base == "bytea" and isinstance(value, str):
            return bytes.fromhex(value.removeprefix("\\x"))
        if base in ("text", "varchar", "bpchar", "name", "unknown") and not isinstance(value, str):
            return json.dumps(value) if isinstance(value, dict | list) else str(value)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise InvalidInput(f"Parameter ${index} ({value!r}) is not a valid {type_name}: {exc}.") from None
    return value
