"""Reading pglast's JSON parse trees (`parse_sql_json`), shared by the analysers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["walk"]


def walk(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (node type, fields) pair in a JSON tree, depth first, without recursion (trees can be deep)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if len(item) == 1:
                ((key, inner),) = item.items()
                if isinstance(inner, dict) and key[:1].isupper():
                    yield key, inner
                    stack.extend(reversed(list(inner.values())))
                    continue
            stack.extend(reversed(list(item.values())))
