"""Running user SQL safely: the execution layers of the guard (see tools.guard for the parse layer)."""

from __future__ import annotations

from .convert import bind_value, to_json_value, type_display
from .execute import (
    UNTRUSTED_NOTE,
    Column,
    QueryLimits,
    QueryResult,
    abort_quietly,
    apply_local_timeouts,
    begin,
    bind_params,
    client_timeout,
    end,
    execute_sql,
    run_readonly,
    run_write,
)

__all__ = [
    "UNTRUSTED_NOTE",
    "Column",
    "QueryLimits",
    "QueryResult",
    "abort_quietly",
    "apply_local_timeouts",
    "begin",
    "bind_params",
    "bind_value",
    "client_timeout",
    "end",
    "execute_sql",
    "run_readonly",
    "run_write",
    "to_json_value",
    "type_display",
]
