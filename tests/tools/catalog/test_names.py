"""Splitting qualified, quoted names like PostgreSQL does (no database needed)."""

from __future__ import annotations

import pytest

from pgsage.tools.catalog.names import split_qualified


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Orders", ["orders"]),
        ("sales.orders", ["sales", "orders"]),
        ('"Sales"."Order Items"', ["Sales", "Order Items"]),
        ('public."x""y"', ["public", 'x"y']),
        (" a . b ", ["a", "b"]),
        ("db.s.t", ["db", "s", "t"]),
        ("Ünïcode", ["Ünïcode"]),
        ('x"; DROP TABLE t; --', None),
        ("1abc", None),
        ("", None),
        ('""', None),
        ("a..b", None),
        ("a.", None),
        ('"unterminated', None),
    ],
)
def test_split_qualified(text: str, parts: list[str] | None) -> None:
    assert split_qualified(text) == parts
