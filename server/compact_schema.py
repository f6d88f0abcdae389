"""Shrink the JSON schemas in `tools/list` without changing what they accept.

Agents pay for every token of every tool description on every turn. Pydantic's schemas repeat a
`title` for every field and spell `X | None` as `anyOf: [{type: X}, {type: null}]` with `default: null`;
none of that tells a model anything the property name and `required` list do not.
"""

from __future__ import annotations

from typing import Any

__all__ = ["compact_schema"]

_NESTED_MAPS = ("properties", "$defs", "definitions", "patternProperties")


def _nullable(options: list[Any]) -> dict[str, Any] | None:
    if len(options) != 2 or {"type": "null"} not in options:
        return None
    other = options[0] if options[1] == {"type": "null"} else options[1]
    if isinstance(other, dict) and isinstance(other.get("type"), str):
        return {**other, "type": [other["type"], "null"]}
    return None


def compact_schema(node: Any) -> Any:
    """A compacted copy of a JSON schema node."""
    if isinstance(node, list):
        return [compact_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and value is None:
            continue
        if key in _NESTED_MAPS and isinstance(value, dict):
            out[key] = {name: compact_schema(sub) for name, sub in value.items()}
        else:
            out[key] = compact_schema(value)
    options = out.get("anyOf")
    if isinstance(options, list):
        merged = _nullable(options)
        if merged is not None:
            del out["anyOf"]
            out = {**merged, **out}
    return out
