"""Layer 1 of the read-only guard: parse one statement with pglast and accept it only if it is a read.

`check_readonly(sql)` needs no database. It accepts exactly one SELECT / VALUES / TABLE / WITH (no
data-modifying parts) / EXPLAIN of those / SHOW, walks the whole parse tree and checks every function
call, TABLESAMPLE method and qualified operator against the allow-list in `safe_functions`, and rejects
locking clauses and SELECT INTO. Every rejection says what was found and where, so a user with a
legitimate query knows what to change.

What a parser cannot see: functions called by views, RLS policies, domain checks and casts, user
functions that overload a built-in name with other argument types, and attribute notation (`t.f` is
`f(t)` when f takes t's row type). The execution layer covers those: the READ ONLY transaction refuses
writes and nextval, the rollback undoes settings, and a pooled connection is reset (advisory unlock all,
CLOSE ALL, UNLISTEN *, RESET ALL) or discarded. What remains is a function someone with CREATE privilege
planted that reaches outside the transaction (e.g. through dblink); the role pgsage connects with should
not be able to create functions in schemas the queries read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pglast.parser import ParseError, parse_sql_json

from .safe_functions import (
    ALWAYS_DENIED,
    ALWAYS_DENIED_PREFIXES,
    PUBLIC_EXTENSION_FUNCTIONS,
    SAFE_FUNCTIONS,
    SAFE_PREFIXES,
    SAFE_SCHEMAS,
    TABLESAMPLE_METHODS,
)

__all__ = ["MAX_SQL_CHARS", "GuardResult", "check_readonly", "check_write", "parse_one", "statement_kind"]

MAX_SQL_CHARS = 100_000

_READ_KINDS = frozenset({"SelectStmt", "VariableShowStmt"})
_DML_KINDS = frozenset({"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"})

# Statement node -> the words a user recognises; anything missing is derived from the node name.
_KIND_NAMES: dict[str, str] = {
    "SelectStmt": "SELECT",
    "VariableShowStmt": "SHOW",
    "ExplainStmt": "EXPLAIN",
    "InsertStmt": "INSERT",
    "UpdateStmt": "UPDATE",
    "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE",
    "TransactionStmt": "transaction control",
    "VariableSetStmt": "SET/RESET",
    "CopyStmt": "COPY",
    "DoStmt": "DO",
    "CallStmt": "CALL",
    "ListenStmt": "LISTEN",
    "UnlistenStmt": "UNLISTEN",
    "NotifyStmt": "NOTIFY",
    "PrepareStmt": "PREPARE",
    "ExecuteStmt": "EXECUTE",
    "DeallocateStmt": "DEALLOCATE",
    "DeclareCursorStmt": "DECLARE CURSOR",
    "FetchStmt": "FETCH/MOVE",
    "ClosePortalStmt": "CLOSE",
    "LockStmt": "LOCK",
    "VacuumStmt": "VACUUM/ANALYZE",
    "TruncateStmt": "TRUNCATE",
    "CreateTableAsStmt": "CREATE TABLE AS / SELECT INTO",
    "RefreshMatViewStmt": "REFRESH MATERIALIZED VIEW",
    "DiscardStmt": "DISCARD",
    "CheckPointStmt": "CHECKPOINT",
    "LoadStmt": "LOAD",
    "ReindexStmt": "REINDEX",
    "ClusterStmt": "CLUSTER",
    "GrantStmt": "GRANT/REVOKE",
    "GrantRoleStmt": "GRANT/REVOKE role",
    "IndexStmt": "CREATE INDEX",
    "CreateStmt": "CREATE TABLE",
    "ViewStmt": "CREATE VIEW",
    "DropStmt": "DROP",
    "CreateFunctionStmt": "CREATE FUNCTION",
    "AlterTableStmt": "ALTER TABLE",
    "RenameStmt": "ALTER ... RENAME",
    "CommentStmt": "COMMENT",
    "SecLabelStmt": "SECURITY LABEL",
    "CreateRoleStmt": "CREATE ROLE",
    "AlterRoleStmt": "ALTER ROLE",
    "AlterSystemStmt": "ALTER SYSTEM",
    "CreatedbStmt": "CREATE DATABASE",
    "DropdbStmt": "DROP DATABASE",
    "CreateExtensionStmt": "CREATE EXTENSION",
    "ConstraintsSetStmt": "SET CONSTRAINTS",
}


@dataclass(frozen=True)
class GuardResult:
    """The guard's verdict. `rule` is a stable code for the kind of rejection (None when allowed)."""

    allowed: bool
    reason: str | None = None
    rule: str | None = None
    statement_kind: str | None = None
    functions: tuple[str, ...] = ()
    position: int | None = None
    explain_analyze: bool = False
    writes: bool = False
    tree: dict[str, Any] | None = field(default=None, repr=False, compare=False)


def _kind_name(node: str) -> str:
    if node in _KIND_NAMES:
        return _KIND_NAMES[node]
    words = node.removesuffix("Stmt")
    out = "".join(" " + c if c.isupper() and i else c for i, c in enumerate(words))
    return out.upper().strip()


def statement_kind(stmt: dict[str, Any]) -> str:
    """The user-facing name of a parsed statement (`{"SelectStmt": {...}}` -> "SELECT")."""
    node = next(iter(stmt))
    body = stmt[node]
    if node == "SelectStmt" and body.get("valuesLists"):
        return "VALUES"
    if node == "TransactionStmt":
        # TRANS_STMT_COMMIT -> COMMIT: name the exact command the user wrote.
        return str(body.get("kind", "TRANS_STMT_TRANSACTION")).removeprefix("TRANS_STMT_").replace("_", " ")
    return _kind_name(node)


class _Reject(Exception):
    def __init__(self, rule: str, reason: str, location: int | None = None) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason
        self.location = location


def _char_position(sql: str, byte_location: int | None) -> int | None:
    """pglast locations are byte offsets; users count characters (1-based, like PostgreSQL)."""
    if byte_location is None or byte_location < 0:
        return None
    return len(sql.encode("utf-8")[:byte_location].decode("utf-8", errors="ignore")) + 1


def _where(sql: str, byte_location: int | None) -> str:
    pos = _char_position(sql, byte_location)
    if pos is None:
        return ""
    line = sql.count("\n", 0, pos - 1) + 1
    return f" at character {pos} (line {line})"


def parse_one(sql: str) -> dict[str, Any]:
    """Parse `sql` and return its single statement node; raise _Reject for anything else."""
    if not sql or not sql.strip():
        raise _Reject("empty", "The SQL is empty: pass one statement.")
    if len(sql) > MAX_SQL_CHARS:
        raise _Reject("too-long", f"The SQL is {len(sql)} characters long; the limit is {MAX_SQL_CHARS}.")
    if "\x00" in sql:
        raise _Reject("syntax", "The SQL contains a NUL character.")
    try:
        parsed = json.loads(parse_sql_json(sql))
    except ParseError as exc:
        location = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
        message = exc.args[0] if exc.args else str(exc)
        # ParseError locations are 1-based character offsets already.
        where = f" at character {location}" if location else ""
        raise _Reject("syntax", f"Syntax error{where}: {message}.") from None
    except (RecursionError, ValueError) as exc:
        raise _Reject("syntax", f"The SQL could not be parsed ({type(exc).__name__}); simplify it.") from None
    stmts = parsed.get("stmts", [])
    if not stmts:
        raise _Reject("empty", "The SQL contains no statement (only comments or semicolons).")
    if len(stmts) > 1:
        kinds = ", ".join(statement_kind(s["stmt"]) for s in stmts[:5])
        second = stmts[1].get("stmt_location")
        raise _Reject(
            "multiple-statements",
            f"Multiple statements ({len(stmts)}: {kinds}); send exactly one statement per call.",
            second,
        )
    stmt: dict[str, Any] = stmts[0]["stmt"]
    return stmt


def _nodes(tree: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (node type or field name, value dict) pair in the JSON tree, iteratively (no recursion)."""
    stack: list[Any] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, dict):
                    yield key, value
                    stack.append(value)
                elif isinstance(value, list):
                    if key in ("lockingClause",) and value:
                        yield key, {"items": value}
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _names(items: Iterable[dict[str, Any]]) -> list[str]:
    return [item.get("String", {}).get("sval", "") for item in items]


def _is_safe_function(parts: list[str], extra: frozenset[str]) -> bool:
    qualified = ".".join(parts)
    if qualified in extra:
        return True
    name = parts[-1]
    if len(parts) > 2:  # database.schema.function is never what a read needs
        return False
    if len(parts) == 2 and parts[0] == "public":
        return name in PUBLIC_EXTENSION_FUNCTIONS
    if len(parts) == 2 and parts[0] not in SAFE_SCHEMAS:
        return False
    return name in SAFE_FUNCTIONS or name in extra or name.startswith(SAFE_PREFIXES)


def _denied_reason(name: str) -> str | None:
    if name in ALWAYS_DENIED:
        return ALWAYS_DENIED[name]
    for prefix, why in ALWAYS_DENIED_PREFIXES.items():
        if name.startswith(prefix):
            return why
    return None


def _check_function(sql: str, parts: list[str], location: int | None, extra: frozenset[str] | None) -> None:
    """extra=None means write mode: only the always-denied list applies."""
    display = ".".join(parts)
    why = _denied_reason(parts[-1])
    if why is not None:
        raise _Reject(
            "denied-function",
            f"Function {display}(){_where(sql, location)} is not allowed: it {why}.",
            location,
        )
    if extra is None or _is_safe_function(parts, extra):
        return
    raise _Reject(
        "unknown-function",
        f"Function {display}(){_where(sql, location)} is not on the list of functions known to be "
        "read-only. User-defined and unlisted functions can write or have side effects; if this one is "
        "safe, add it to the server's safe_functions setting (PGSAGE_SAFE_FUNCTIONS).",
        location,
    )


def _explain_analyze(options: list[dict[str, Any]]) -> bool:
    for option in options or []:
        elem = option.get("DefElem", {})
        if elem.get("defname") != "analyze":
            continue
        arg = elem.get("arg")
        if arg is None:
            return True
        if "String" in arg:
            return arg["String"].get("sval", "").lower() not in ("false", "off", "0", "no")
        if "Boolean" in arg:
            return bool(arg["Boolean"].get("boolval", False))
        if "Integer" in arg:
            return bool(arg["Integer"].get("ival", 0))
        return True
    return False


def _walk(sql: str, stmt: dict[str, Any], extra: frozenset[str] | None, *, plan_only: bool) -> list[str]:
    """Check every node under `stmt`; return the functions called. Raises _Reject."""
    functions: list[str] = []
    for key, node in _nodes(stmt):
        if key == "FuncCall":
            parts = _names(node.get("funcname", []))
            functions.append(".".join(parts))
            _check_function(sql, parts, node.get("location"), extra)
        elif key == "RangeTableSample":
            method = _names(node.get("method", []))
            if extra is not None and method[-1] not in TABLESAMPLE_METHODS:
                raise _Reject(
                    "unknown-function",
                    f"TABLESAMPLE method {'.'.join(method)}{_where(sql, node.get('location'))} is not "
                    f"allowed; use one of {', '.join(sorted(TABLESAMPLE_METHODS))}.",
                    node.get("location"),
                )
        elif key in ("A_Expr", "SortBy") and extra is not None:
            op = _names(node.get("name" if key == "A_Expr" else "useOp", []) or [])
            if len(op) > 1 and op[0] != "pg_catalog" and ".".join(op) not in extra:
                raise _Reject(
                    "unknown-operator",
                    f"Operator {'.'.join(op)}{_where(sql, node.get('location'))} is outside pg_catalog; "
                    "operators of other schemas can call user-defined functions.",
                    node.get("location"),
                )
        elif extra is None or plan_only:
            continue
        elif key == "lockingClause":
            location = _first_location(node)
            raise _Reject(
                "locking-clause",
                f"Locking clause (FOR UPDATE/SHARE){_where(sql, location)} takes row locks; remove it for a read.",
                location,
            )
        elif key == "intoClause":
            location = node.get("rel", {}).get("location")
            raise _Reject(
                "select-into",
                f"SELECT INTO{_where(sql, location)} creates a table; remove the INTO clause for a read.",
                location,
            )
        elif key == "CommonTableExpr" and next(iter(node.get("ctequery") or {"": 0})) in _DML_KINDS:
            location = node.get("location")
            inner = _kind_name(next(iter(node["ctequery"])))
            raise _Reject(
                "data-modifying-cte",
                f"WITH {node.get('ctename', '?')} AS ({inner} ...){_where(sql, location)} writes; only SELECT is "
                "allowed inside WITH.",
                location,
            )
        elif key in _DML_KINDS:
            location = _first_location(node)
            raise _Reject(
                "data-modifying-cte",
                f"A data-modifying {_kind_name(key)} inside the statement{_where(sql, location)} writes; "
                "only SELECT is allowed inside WITH.",
                location,
            )
    return functions


def _first_location(node: Any) -> int | None:
    for _key, value in _nodes({"_": node}):
        location = value.get("location")
        if isinstance(location, int) and location >= 0:
            return location
    return None


def check_readonly(sql: str, extra_safe: Iterable[str] = (), *, plan_only: bool = False) -> GuardResult:
    """Whether `sql` is exactly one statement that only reads, and if not, why.

    `extra_safe`: more function names ("f" or "schema.f") the deployment declares safe.
    `plan_only=True` is for plain EXPLAIN (no ANALYZE) of a statement that is planned, never run: it
    also accepts INSERT/UPDATE/DELETE/MERGE and locking clauses, still checking every function.
    """
    extra = frozenset(extra_safe)
    stmt_kind: str | None = None
    try:
        stmt = parse_one(sql)
        node = next(iter(stmt))
        stmt_kind = statement_kind(stmt)
        analyze = False
        target = stmt
        if node == "ExplainStmt":
            body = stmt[node]
            analyze = _explain_analyze(body.get("options", []))
            target = body.get("query", {})
            inner = next(iter(target))
            if inner not in _READ_KINDS:
                detail = " ANALYZE would run it" if analyze else " only reads are accepted"
                raise _Reject(
                    "explain-write" if inner in _DML_KINDS else "statement-kind",
                    f"EXPLAIN of {_kind_name(inner)} is not allowed:{detail}. Use explain_query (plan only) "
                    "to see the plan of a write.",
                )
            stmt_kind = f"EXPLAIN {statement_kind(target)}"
        elif node not in _READ_KINDS and not (plan_only and node in _DML_KINDS):
            raise _Reject(
                "statement-kind",
                f"{stmt_kind} is not a read: only SELECT, VALUES, TABLE, WITH ... SELECT, EXPLAIN and SHOW "
                "are accepted.",
            )
        functions = _walk(sql, target, extra, plan_only=plan_only)
    except _Reject as rejection:
        return GuardResult(
            allowed=False,
            reason=rejection.reason,
            rule=rejection.rule,
            statement_kind=stmt_kind,
            position=_char_position(sql, rejection.location),
        )
    return GuardResult(
        allowed=True,
        statement_kind=stmt_kind,
        functions=tuple(dict.fromkeys(functions)),
        explain_analyze=analyze,
        writes=next(iter(target)) in _DML_KINDS,
        tree=stmt,
    )


# In write mode these still make no sense: they break the wrapping transaction, leave session state
# behind on a connection that is thrown away, or reach the server's file system.
_WRITE_MODE_REJECTED: dict[str, str] = {
    "TransactionStmt": "pgsage runs each statement in its own transaction; send the statement alone",
    "CopyStmt": "COPY reads or writes server files or a client stream; use INSERT ... SELECT or SELECT",
    "ListenStmt": "notifications cannot be received through execute_sql",
    "PrepareStmt": "each call runs on a fresh transaction; send the statement itself",
    "ExecuteStmt": "each call runs on a fresh transaction; send the statement itself",
    "DeclareCursorStmt": "each call runs on a fresh transaction; send the query itself",
    "FetchStmt": "each call runs on a fresh transaction; send the query itself",
    "AlterSystemStmt": "ALTER SYSTEM changes the server configuration file",
    "LoadStmt": "LOAD loads a shared library into the server",
}


def check_write(sql: str) -> GuardResult:
    """The write-mode check: one statement, no transaction control, no server files, no denied function."""
    stmt_kind: str | None = None
    try:
        stmt = parse_one(sql)
        node = next(iter(stmt))
        stmt_kind = statement_kind(stmt)
        if node in _WRITE_MODE_REJECTED:
            raise _Reject("statement-kind", f"{stmt_kind} is not allowed: {_WRITE_MODE_REJECTED[node]}.")
        functions = _walk(sql, stmt, None, plan_only=False)
    except _Reject as rejection:
        return GuardResult(
            allowed=False,
            reason=rejection.reason,
            rule=rejection.rule,
            statement_kind=stmt_kind,
            position=_char_position(sql, rejection.location),
        )
    return GuardResult(
        allowed=True,
        statement_kind=stmt_kind,
        functions=tuple(dict.fromkeys(functions)),
        writes=True,
        tree=stmt,
    )
