"""What a rule sees: one statement, its position, the transaction it runs in and what came before it."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .citations import citations_for
from .locks import blocks
from .model import Finding, Rule
from .nodes import Node

__all__ = ["FileState", "LineMap", "NotValidCheck", "SchemaState", "Source", "StatementContext"]

# Maps a (line, column) of the linted SQL to the position to report (e.g. the line of an Alembic op call).
LineMap = Callable[[int, int], tuple[int, int]]

_SNIPPET = 160


@dataclass
class SchemaState:
    """What earlier files and statements of one lint run declared (column types, enum types)."""

    column_types: dict[tuple[str, str], Node] = field(default_factory=dict)
    enums: set[str] = field(default_factory=set)


@dataclass
class NotValidCheck:
    table: str
    name: str
    column: str | None  # set when the check is `col IS NOT NULL`
    transaction: int  # 0 when added outside an explicit transaction


@dataclass
class FileState:
    """Facts gathered from the statements of the current file before the one being checked."""

    schema: SchemaState = field(default_factory=SchemaState)
    created_tables: set[str] = field(default_factory=set)
    lock_timeout: bool = False
    statement_timeout: bool = False
    local_timeouts: set[str] = field(default_factory=set)  # set with SET LOCAL: gone at COMMIT
    locking_seen: bool = False  # a lock-taking statement on an existing object came earlier
    implicit_transaction: int = 0  # serial of the transaction a migration tool opened, 0 if none
    not_valid: dict[tuple[str, str], NotValidCheck] = field(default_factory=dict)
    validated_not_null: set[tuple[str, str]] = field(default_factory=set)
    previous: list[tuple[str, Node]] = field(default_factory=list)
    # enum labels added inside a still-open transaction: label -> (enum, transaction serial)
    new_enum_values: dict[str, tuple[str, int]] = field(default_factory=dict)


class Source:
    """The SQL text with byte-offset -> line/column conversion (pglast locations count UTF-8 bytes)."""

    def __init__(self, text: str, file: str | None = None, line_map: LineMap | None = None) -> None:
        self.text = text
        self.data = text.encode("utf-8")
        self.file = file
        self.line_map = line_map
        self._ascii = len(self.data) == len(text)
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def char_offset(self, byte_offset: int) -> int:
        if self._ascii:
            return byte_offset
        return len(self.data[:byte_offset].decode("utf-8", errors="ignore"))

    def raw_position(self, char_offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, char_offset)
        return line, char_offset - self._line_starts[line - 1] + 1

    def position(self, byte_offset: int) -> tuple[int, int]:
        """1-based (line, column) to report for a byte offset."""
        line, column = self.raw_position(self.char_offset(byte_offset))
        return self.line_map(line, column) if self.line_map else (line, column)

    def statement_start(self, byte_offset: int) -> int:
        """Skip the whitespace and comments pglast includes at the front of a statement."""
        data, i, n = self.data, byte_offset, len(self.data)
        while i < n:
            if data[i : i + 1].isspace():
                i += 1
            elif data.startswith(b"--", i):
                end = data.find(b"\n", i)
                i = n if end < 0 else end + 1
            elif data.startswith(b"/*", i):
                depth, i = 1, i + 2
                while i < n and depth:
                    if data.startswith(b"/*", i):
                        depth, i = depth + 1, i + 2
                    elif data.startswith(b"*/", i):
                        depth, i = depth - 1, i + 2
                    else:
                        i += 1
            else:
                break
        return i


@dataclass
class StatementContext:
    kind: str  # node type, e.g. "AlterTableStmt"
    node: Node
    index: int  # 0-based statement number in the file
    start: int  # byte offset of the statement's first token
    end: int
    in_transaction: bool  # inside BEGIN ... COMMIT (or a migration tool's implicit transaction)
    transaction: int  # serial number of the enclosing transaction block, 0 outside one
    pg_version: int
    state: FileState
    source: Source
    active_rules: frozenset[str] = frozenset()  # ids of the rules running, for fallback reporting

    # Shared by several rules for one statement; filled on first use.
    memo: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def relation_sql(self) -> str:
        """The statement's target table as quoted SQL (schema-qualified when the statement qualifies it)."""
        from .rules._common import rel_sql  # the rules' helper module imports this one

        return rel_sql(self.node.get("relation"))

    @property
    def text(self) -> str:
        return self.source.data[self.start : self.end].decode("utf-8", errors="replace").strip()

    def is_new_table(self, table: str) -> bool:
        """Created earlier in this file: empty and invisible to running code, so locks on it are harmless."""
        return table in self.state.created_tables

    def finding(
        self,
        rule: Rule,
        message: str,
        *,
        location: int | None = None,
        safe_sql: str | None = None,
        lock: str | None = None,
        why: str | None = None,
        fix: str | None = None,
    ) -> Finding:
        line, column = self.source.position(location if location is not None and location >= self.start else self.start)
        lock = lock or rule.lock
        text = " ".join(self.text.split())
        return Finding(
            rule=rule.id,
            severity=rule.severity,
            message=message,
            file=self.source.file,
            line=line,
            column=column,
            statement=text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…",
            lock=lock,
            blocks=blocks(lock),
            why=why or rule.why,
            fix=fix or rule.fix,
            safe_sql=safe_sql,
            citations=citations_for(rule.kb, with_locks=lock is not None),
        )
