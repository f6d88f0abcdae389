"""Reading a possibly qualified, possibly quoted object name the way PostgreSQL would.

`Orders`, `sales.orders`, `"Sales"."Order Items"` and `public."x""y"` all split into (schema, name)
parts with PostgreSQL's folding rules. The parts are only ever bound as query parameters, never spliced.
"""

from __future__ import annotations

__all__ = ["split_qualified"]


def _fold(part: str) -> str:
    # PostgreSQL folds unquoted identifiers to lower case, ASCII letters only in UTF-8 databases.
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in part)


def split_qualified(text: str) -> list[str] | None:
    """The dot-separated identifier parts of `text`, or None when it is not a valid identifier chain."""
    parts: list[str] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return None
        if text[i] == '"':
            i += 1
            buf: list[str] = []
            while True:
                if i >= n:
                    return None
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(text[i])
                i += 1
            if not buf:
                return None
            parts.append("".join(buf))
        else:
            start = i
            while i < n and (text[i].isalnum() or text[i] in "_$"):
                i += 1
            if i == start or text[start].isdigit() or text[start] == "$":
                return None
            parts.append(_fold(text[start:i]))
        while i < n and text[i].isspace():
            i += 1
        if i == n:
            return parts
        if text[i] != ".":
            return None
        i += 1
