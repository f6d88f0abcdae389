"""The names PostgreSQL gives unnamed indexes, constraints and sequences (ChooseRelationName & co.).

A schema parsed from SQL must carry the same names the catalog would show after running that SQL, or
findings about `orders_customer_id_fkey` would differ between the two sources.
"""

from __future__ import annotations

from collections.abc import Container

__all__ = ["NAMEDATALEN", "choose_name", "index_column_label", "make_object_name"]

NAMEDATALEN = 64


def _clip(text: str, max_bytes: int) -> str:
    """The longest prefix of `text` that fits in `max_bytes` UTF-8 bytes (pg_mbcliplen)."""
    out = text.encode()[:max_bytes]
    return out.decode("utf-8", errors="ignore")


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """makeObjectName(): name1_name2_label, shortening the longer of name1/name2 to fit 63 bytes."""
    overhead = (1 if name2 else 0) + (len(label.encode()) + 1 if label else 0)
    avail = NAMEDATALEN - 1 - overhead
    n1 = len(name1.encode())
    n2 = len(name2.encode()) if name2 else 0
    while n1 + n2 > avail:
        if n1 > n2:
            n1 -= 1
        else:
            n2 -= 1
    result = _clip(name1, n1)
    if name2:
        result += "_" + _clip(name2, n2)
    if label:
        result += "_" + label
    return result


def choose_name(
    name1: str, name2: str | None, label: str, taken: set[str], also_taken: Container[str] = frozenset()
) -> str:
    """ChooseRelationName()/ChooseConstraintName(): append 1, 2... to the label until the name is free.

    The chosen name is added to `taken`; `also_taken` is only consulted (index names must not clash with
    constraint names either).
    """
    attempt = 0
    while True:
        candidate = make_object_name(name1, name2, label if attempt == 0 else f"{label}{attempt}")
        if candidate not in taken and candidate not in also_taken:
            taken.add(candidate)
            return candidate
        attempt += 1


def index_column_label(names: list[str]) -> str:
    """ChooseIndexNameAddition(): column names joined by '_', stopping once the name is long enough."""
    out = ""
    for name in names:
        if out:
            out += "_"
        out += name
        if len(out.encode()) >= NAMEDATALEN:
            break
    return _clip(out, NAMEDATALEN - 1)
