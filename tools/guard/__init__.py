"""The read-only SQL guard: layer 1 (parse and allow-list) lives here; execution is tools.query."""

from __future__ import annotations

from .readonly import MAX_SQL_CHARS, GuardResult, check_readonly, check_write, parse_one, statement_kind
from .safe_functions import ALWAYS_DENIED, SAFE_FUNCTIONS

__all__ = [
    "ALWAYS_DENIED",
    "MAX_SQL_CHARS",
    "SAFE_FUNCTIONS",
    "GuardResult",
    "check_readonly",
    "check_write",
    "parse_one",
    "statement_kind",
]
