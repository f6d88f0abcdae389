"""Quoting identifiers for the rare SQL that must splice a name (DDL in fixes, hypothetical indexes).

Values are always bound ($1), never spliced; names spliced into SQL always go through here.
"""

from __future__ import annotations

__all__ = ["qualified_name", "quote_ident"]

# PostgreSQL's reserved keywords that must be quoted even when lowercase.
_RESERVED: frozenset[str] = frozenset()


def _reserved() -> frozenset[str]:
    global _RESERVED
    if not _RESERVED:
        from pglast import keywords

        _RESERVED = frozenset(keywords.RESERVED_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS)
    return _RESERVED


def quote_ident(name: str) -> str:
    """Quote `name` the way PostgreSQL's quote_ident() does: only when needed, doubling inner quotes."""
    if not name:
        raise ValueError("an identifier cannot be empty")
    if "\x00" in name:
        raise ValueError("an identifier cannot contain a NUL character")
    simple = (name[0] == "_" or "a" <= name[0] <= "z") and all(
        c == "_" or c == "$" or "a" <= c <= "z" or "0" <= c <= "9" for c in name
    )
    if simple and name not in _reserved():
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified_name(schema: str | None, name: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)
