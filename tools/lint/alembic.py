"""Alembic revisions: the SQL their `upgrade()` emits, read statically with `ast` (nothing is imported or run).

The common `op.*` calls (and `batch_op.*` inside `op.batch_alter_table`) are turned into the DDL Alembic
would send to PostgreSQL, `op.execute` with literal SQL is taken as is, and each SQL line remembers the
Python line it came from so findings point into the .py file. Alembic runs a revision in a transaction,
so the SQL is linted as inside one, except within `op.get_context().autocommit_block()`.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from pglast import parser as pg_parser

from ..errors import InvalidInput
from ..sqlident import quote_ident
from .context import SchemaState
from .engine import FileResult, lint_text
from .model import LintProblem

__all__ = ["RevisionSql", "lint_revision", "revision_sql"]


class _Raw(str):
    """SQL text given in Python (sa.text(...), a check condition, a server_default expression)."""


class _Unknown:
    """A value that is not a literal (a variable, a function result): the op cannot be rendered."""


_UNKNOWN = _Unknown()


@dataclass
class _Column:
    name: str
    type: str
    nullable: bool | None = None
    default: Any = None
    primary_key: bool = False
    unique: bool = False
    references: str | None = None
    identity: bool = False
    computed: str | None = None
    autoincrement: Any = "auto"


@dataclass
class RevisionSql:
    sql: str = ""
    origins: list[tuple[int, int, bool]] = field(default_factory=list)  # per SQL line: py line, col, exact
    synthetic: set[int] = field(default_factory=set)  # SQL lines Alembic's transaction handling adds
    notes: list[LintProblem] = field(default_factory=list)
    column_types: dict[tuple[str, str], str] = field(default_factory=dict)  # from existing_type=

    def add(self, sql: str, line: int, column: int, *, exact: bool = False, synthetic: bool = False) -> None:
        for offset, _ in enumerate(sql.split("\n")):
            self.origins.append((line + offset if exact else line, column if offset == 0 or not exact else 1, exact))
            if synthetic:
                self.synthetic.add(len(self.origins))
        self.sql += sql + "\n"

    def line_map(self, line: int, column: int) -> tuple[int, int]:
        if not 1 <= line <= len(self.origins):
            return (self.origins[-1][0], 1) if self.origins else (1, 1)
        py_line, py_col, exact = self.origins[line - 1]
        return (py_line, py_col + column - 1) if exact else (py_line, py_col)


def q(name: str) -> str:
    return quote_ident(name)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _attr_name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _value(node: ast.AST | None) -> Any:
    """A Python literal, a list of them, raw SQL, a column or type description, or _UNKNOWN."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [_value(e) for e in node.elts]
    if isinstance(node, ast.Call):
        name = _attr_name(node.func)
        if name == "f" and node.args:  # op.f("name"): an explicit constraint/index name
            return _value(node.args[0])
        if name in ("text", "literal_column") and node.args:
            inner = _value(node.args[0])
            return _Raw(inner) if isinstance(inner, str) else _UNKNOWN
        if isinstance(node.func, ast.Attribute) and _attr_name(node.func.value) == "func":
            args = [_value(a) for a in node.args]
            if all(isinstance(a, int | float | _Raw) for a in args):
                return _Raw(f"{name}({', '.join(str(a) for a in args)})")
            return _UNKNOWN
        if name == "Column":
            return _column(node)
        return _type(node)
    if isinstance(node, ast.Attribute | ast.Name):
        if isinstance(node, ast.Attribute) and _attr_name(node.value) == "func":
            return _Raw(f"{node.attr}()")
        return _type(node)
    return _UNKNOWN


_TYPES = {
    "integer": "integer",
    "int": "integer",
    "biginteger": "bigint",
    "bigint": "bigint",
    "smallinteger": "smallint",
    "smallint": "smallint",
    "string": "varchar",
    "varchar": "varchar",
    "unicode": "varchar",
    "text": "text",
    "unicodetext": "text",
    "boolean": "boolean",
    "date": "date",
    "time": "time",
    "interval": "interval",
    "numeric": "numeric",
    "decimal": "numeric",
    "float": "double precision",
    "double": "double precision",
    "double_precision": "double precision",
    "real": "real",
    "uuid": "uuid",
    "json": "json",
    "jsonb": "jsonb",
    "char": "char",
    "nchar": "char",
    "largebinary": "bytea",
    "bytea": "bytea",
    "inet": "inet",
    "cidr": "cidr",
    "citext": "citext",
    "tsvector": "tsvector",
}


@dataclass(frozen=True)
class _Type:
    sql: str


def _type(node: ast.AST) -> Any:
    call = node if isinstance(node, ast.Call) else None
    name = _attr_name(call.func if call else node).lower()
    args = [_value(a) for a in call.args] if call else []
    kwargs = {k.arg: _value(k.value) for k in call.keywords if k.arg} if call else {}
    if name in ("datetime", "timestamp"):
        return _Type("timestamptz" if kwargs.get("timezone") is True else "timestamp")
    if name == "array" and args and isinstance(args[0], _Type):
        return _Type(args[0].sql + "[]")
    if name == "enum":
        enum_name = kwargs.get("name")
        return _Type(q(enum_name) if isinstance(enum_name, str) else "text")
    if name in ("uuid", "uuidtype"):
        return _Type("uuid")
    base = _TYPES.get(name)
    if base is None:
        return _UNKNOWN
    numbers = [a for a in args if isinstance(a, int)]
    if not numbers and isinstance(kwargs.get("length"), int):
        numbers = [kwargs["length"]]
    if not numbers and isinstance(kwargs.get("precision"), int):
        numbers = [kwargs["precision"]] + ([kwargs["scale"]] if isinstance(kwargs.get("scale"), int) else [])
    if numbers and base in ("varchar", "char", "numeric"):
        return _Type(f"{base}({','.join(str(n) for n in numbers)})")
    return _Type(base)


def _column(call: ast.Call) -> Any:
    args = [_value(a) for a in call.args]
    kwargs = {k.arg: _value(k.value) for k in call.keywords if k.arg}
    name = args[0] if args and isinstance(args[0], str) else kwargs.get("name")
    types = [a for a in args[1:] if isinstance(a, _Type)]
    if not isinstance(name, str) or not types:
        return _UNKNOWN
    col = _Column(name=name, type=types[0].sql)
    for arg in call.args[1:]:
        if isinstance(arg, ast.Call):
            kind = _attr_name(arg.func)
            if kind == "ForeignKey" and arg.args:
                target = _value(arg.args[0])
                if isinstance(target, str) and "." in target:
                    table, _, column = target.rpartition(".")
                    col.references = f"{'.'.join(q(p) for p in table.split('.'))} ({q(column)})"
            elif kind == "Identity":
                col.identity = True
            elif kind == "Computed" and arg.args:
                expr = _value(arg.args[0])
                col.computed = str(expr) if isinstance(expr, str) else None
    col.nullable = kwargs.get("nullable") if isinstance(kwargs.get("nullable"), bool) else None
    col.default = kwargs.get("server_default")
    col.primary_key = kwargs.get("primary_key") is True
    col.unique = kwargs.get("unique") is True
    col.autoincrement = kwargs.get("autoincrement", "auto")
    return col


def _default_sql(value: Any) -> str | None:
    if value is None or isinstance(value, _Unknown):
        return None
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _literal(value)
    if isinstance(value, int | float):
        return str(value)
    return None


def _column_sql(col: _Column, *, serial: bool = False) -> str:
    col_type = col.type
    if serial:
        col_type = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}[col.type]
    parts = [q(col.name), col_type]
    if col.computed:
        parts.append(f"GENERATED ALWAYS AS ({col.computed}) STORED")
    if col.identity:
        parts.append("GENERATED BY DEFAULT AS IDENTITY")
    default = _default_sql(col.default)
    if default is not None:
        parts.append(f"DEFAULT {default}")
    if col.nullable is False or (col.primary_key and col.nullable is None):
        parts.append("NOT NULL")
    if col.unique:
        parts.append("UNIQUE")
    if col.references:
        parts.append(f"REFERENCES {col.references}")
    return " ".join(parts)


def _names(value: Any) -> str | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return None
    return ", ".join(str(v) if isinstance(v, _Raw) else q(v) for v in value)


def _constraint(name: Any) -> str | None:
    """ "CONSTRAINT name " or "" for None (autogenerate leaves naming to PostgreSQL); None if not a literal."""
    if name is None:
        return ""
    return f"CONSTRAINT {q(name)} " if isinstance(name, str) else None


def _table(name: Any, schema: Any) -> str | None:
    if not isinstance(name, str):
        return None
    return f"{q(schema)}.{q(name)}" if isinstance(schema, str) else q(name)


# Where the table name goes in the positional arguments when a batch_op call leaves it out.
_BATCH_TABLE_POSITION = {"add_column": 0, "drop_column": 0, "alter_column": 0}


class _Reader:
    def __init__(self, source: str, file: str | None) -> None:
        self.source = source
        self.file = file
        self.out = RevisionSql()

    def note(self, node: ast.AST, message: str) -> None:
        self.out.notes.append(
            LintProblem(file=self.file, line=node.lineno, column=node.col_offset + 1, message=message)  # type: ignore[attr-defined]
        )

    def body(self, statements: Sequence[ast.stmt], batch: dict[str, str]) -> None:
        for stmt in statements:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                self.call(stmt.value, batch)
            elif isinstance(stmt, ast.With | ast.AsyncWith):
                self.with_block(stmt, batch)
            elif isinstance(stmt, ast.If):
                self.body(stmt.body, batch)
                self.body(stmt.orelse, batch)
            elif isinstance(stmt, ast.For | ast.While | ast.Try):
                self.body(stmt.body, batch)

    def with_block(self, stmt: ast.With | ast.AsyncWith, batch: dict[str, str]) -> None:
        inner = dict(batch)
        autocommit = False
        for item in stmt.items:
            expr = item.context_expr
            if isinstance(expr, ast.Call) and _attr_name(expr.func) == "autocommit_block":
                autocommit = True
            elif isinstance(expr, ast.Call) and _attr_name(expr.func) == "batch_alter_table":
                table = _value(expr.args[0]) if expr.args else None
                schema = next((_value(k.value) for k in expr.keywords if k.arg == "schema"), None)
                alias = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
                table_sql = _table(table, schema)
                if alias and table_sql:
                    inner[alias] = table_sql
        if autocommit:
            self.out.add("COMMIT;", stmt.lineno, stmt.col_offset + 1, synthetic=True)
        self.body(stmt.body, inner)
        if autocommit:
            self.out.add("BEGIN;", stmt.lineno, stmt.col_offset + 1, synthetic=True)

    def call(self, call: ast.Call, batch: dict[str, str]) -> None:
        func = call.func
        if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            return
        owner, op_name = func.value.id, func.attr
        args: list[Any] = [_value(a) for a in call.args]
        kwargs = {k.arg: _value(k.value) for k in call.keywords if k.arg}
        if owner in batch:
            position = _BATCH_TABLE_POSITION.get(op_name, 1)
            args.insert(min(position, len(args)), _Raw(batch[owner]))
        elif owner != "op":
            return
        if op_name == "execute":
            self.execute(call, args)
            return
        handler = getattr(self, f"op_{op_name}", None)
        if handler is None:
            self.note(call, f"op.{op_name} is not understood by the linter; its SQL was not checked")
            return
        try:
            sql = handler(args, kwargs)
        except (IndexError, KeyError, TypeError):
            sql = None
        if not sql:
            self.note(call, f"op.{op_name} has arguments that are not literals; its SQL was not checked")
            return
        for statement in sql if isinstance(sql, list) else [sql]:
            self.out.add(statement, call.lineno, call.col_offset + 1)

    def execute(self, call: ast.Call, args: list[Any]) -> None:
        arg = call.args[0] if call.args else None
        sql = args[0] if args else None
        if isinstance(arg, ast.Call) and arg.args:
            arg = arg.args[0]
        if not isinstance(sql, str) or not isinstance(arg, ast.Constant):
            self.note(call, "op.execute with SQL that is not a string literal was not checked")
            return
        segment = ast.get_source_segment(self.source, arg) or ""
        stripped = segment.lstrip("rRbBuUfF")
        quote = 3 if stripped[:3] in ('"""', "'''") else 1
        prefix = len(segment) - len(stripped) + quote
        text = sql.rstrip()
        self.out.add(text if text.endswith(";") else text + ";", arg.lineno, arg.col_offset + 1 + prefix, exact=True)

    # --- one method per op: positional args as Alembic documents them --------------------------------

    def op_add_column(self, a: list[Any], k: dict[str, Any]) -> str | None:
        table = a[0] if isinstance(a[0], _Raw) else _table(a[0], k.get("schema"))
        col = a[1]
        if not table or not isinstance(col, _Column):
            return None
        return f"ALTER TABLE {table} ADD COLUMN {_column_sql(col)};"

    def op_drop_column(self, a: list[Any], k: dict[str, Any]) -> str | None:
        table = a[0] if isinstance(a[0], _Raw) else _table(a[0], k.get("schema"))
        return f"ALTER TABLE {table} DROP COLUMN {q(a[1])};" if table and isinstance(a[1], str) else None

    def op_alter_column(self, a: list[Any], k: dict[str, Any]) -> list[str] | None:
        table = a[0] if isinstance(a[0], _Raw) else _table(a[0], k.get("schema"))
        column = a[1] if len(a) > 1 else k.get("column_name")
        if not table or not isinstance(column, str):
            return None
        existing = k.get("existing_type")
        if isinstance(existing, _Type):
            self.out.column_types[(str(table).split(".")[-1].strip('"'), column)] = existing.sql
        out = []
        new_type = k.get("type_")
        if isinstance(new_type, _Type):
            using = k.get("postgresql_using")
            tail = f" USING {using}" if isinstance(using, str) else ""
            out.append(f"ALTER TABLE {table} ALTER COLUMN {q(column)} TYPE {new_type.sql}{tail};")
        if k.get("nullable") is False:
            out.append(f"ALTER TABLE {table} ALTER COLUMN {q(column)} SET NOT NULL;")
        elif k.get("nullable") is True:
            out.append(f"ALTER TABLE {table} ALTER COLUMN {q(column)} DROP NOT NULL;")
        if "server_default" in k:
            default = _default_sql(k["server_default"])
            action = f"SET DEFAULT {default}" if default is not None else "DROP DEFAULT"
            out.append(f"ALTER TABLE {table} ALTER COLUMN {q(column)} {action};")
        if isinstance(k.get("new_column_name"), str):
            out.append(f"ALTER TABLE {table} RENAME COLUMN {q(column)} TO {q(k['new_column_name'])};")
        return out or None

    def op_create_index(self, a: list[Any], k: dict[str, Any]) -> str | None:
        name, table, columns = a[0], a[1], a[2] if len(a) > 2 else k.get("columns")
        table = table if isinstance(table, _Raw) else _table(table, k.get("schema"))
        cols = _names(columns)
        if not isinstance(name, str) or not table or not cols:
            return None
        unique = "UNIQUE " if k.get("unique") is True else ""
        conc = "CONCURRENTLY " if k.get("postgresql_concurrently") is True else ""
        exists = "IF NOT EXISTS " if k.get("if_not_exists") is True else ""
        using = f" USING {k['postgresql_using']}" if isinstance(k.get("postgresql_using"), str) else ""
        where = f" WHERE {k['postgresql_where']}" if isinstance(k.get("postgresql_where"), str) else ""
        return f"CREATE {unique}INDEX {conc}{exists}{q(name)} ON {table}{using} ({cols}){where};"

    def op_drop_index(self, a: list[Any], k: dict[str, Any]) -> str | None:
        name = a[0] if a else k.get("index_name")
        if not isinstance(name, str) or isinstance(name, _Raw):
            return None
        conc = "CONCURRENTLY " if k.get("postgresql_concurrently") is True else ""
        exists = "IF EXISTS " if k.get("if_exists") is True else ""
        schema = k.get("schema")
        target = f"{q(schema)}.{q(name)}" if isinstance(schema, str) else q(name)
        return f"DROP INDEX {conc}{exists}{target};"

    def op_create_foreign_key(self, a: list[Any], k: dict[str, Any]) -> str | None:
        name, source, referent = a[0], a[1], a[2]
        local = _names(a[3] if len(a) > 3 else k.get("local_cols"))
        remote = _names(a[4] if len(a) > 4 else k.get("remote_cols"))
        source = source if isinstance(source, _Raw) else _table(source, k.get("source_schema"))
        referent = _table(referent, k.get("referent_schema"))
        named = _constraint(name)
        if named is None or not source or not referent or not local or not remote:
            return None
        tail = ""
        for key, clause in (("ondelete", "ON DELETE"), ("onupdate", "ON UPDATE")):
            if isinstance(k.get(key), str):
                tail += f" {clause} {k[key]}"
        if k.get("postgresql_not_valid") is True:
            tail += " NOT VALID"
        return f"ALTER TABLE {source} ADD {named}FOREIGN KEY ({local}) REFERENCES {referent} ({remote}){tail};"

    def op_create_unique_constraint(self, a: list[Any], k: dict[str, Any]) -> str | None:
        name, table, cols = a[0], a[1], _names(a[2] if len(a) > 2 else k.get("columns"))
        table = table if isinstance(table, _Raw) else _table(table, k.get("schema"))
        named = _constraint(name)
        if named is None or not table or not cols:
            return None
        return f"ALTER TABLE {table} ADD {named}UNIQUE ({cols});"

    def op_create_primary_key(self, a: list[Any], k: dict[str, Any]) -> str | None:
        name, table, cols = a[0], a[1], _names(a[2] if len(a) > 2 else k.get("columns"))
        table = table if isinstance(table, _Raw) else _table(table, k.get("schema"))
        named = _constraint(name)
        if named is None or not table or not cols:
            return None
        return f"ALTER TABLE {table} ADD {named}PRIMARY KEY ({cols});"

    def op_create_check_constraint(self, a: list[Any], k: dict[str, Any]) -> str | None:
        name, table, condition = a[0], a[1], a[2] if len(a) > 2 else k.get("condition")
        table = table if isinstance(table, _Raw) else _table(table, k.get("schema"))
        named = _constraint(name)
        if named is None or not table or not isinstance(condition, str):
            return None
        tail = " NOT VALID" if k.get("postgresql_not_valid") is True else ""
        return f"ALTER TABLE {table} ADD {named}CHECK ({condition}){tail};"

    def op_drop_constraint(self, a: list[Any], k: dict[str, Any]) -> str | None:
        name, table = a[0], a[1]
        table = table if isinstance(table, _Raw) else _table(table, k.get("schema"))
        if not isinstance(name, str) or not table:
            return None
        return f"ALTER TABLE {table} DROP CONSTRAINT {q(name)};"

    def op_rename_table(self, a: list[Any], k: dict[str, Any]) -> str | None:
        old, new = _table(a[0], k.get("schema")), a[1]
        return f"ALTER TABLE {old} RENAME TO {q(new)};" if old and isinstance(new, str) else None

    def op_drop_table(self, a: list[Any], k: dict[str, Any]) -> str | None:
        table = _table(a[0], k.get("schema"))
        return f"DROP TABLE {table};" if table else None

    def op_create_table(self, a: list[Any], k: dict[str, Any]) -> str | None:
        table = _table(a[0], k.get("schema"))
        columns = [c for c in a[1:] if isinstance(c, _Column)]
        if not table or not columns:
            return None
        keys = [c for c in columns if c.primary_key]
        # SQLAlchemy renders a lone integer primary key as SERIAL unless autoincrement=False or Identity.
        serial = (
            len(keys) == 1
            and keys[0].type in ("integer", "bigint", "smallint")
            and not keys[0].identity
            and keys[0].autoincrement is not False
            and keys[0].default is None
        )
        parts = [_column_sql(c, serial=serial and c is keys[0]) for c in columns]
        if keys:
            parts.append(f"PRIMARY KEY ({', '.join(q(c.name) for c in keys)})")
        return f"CREATE TABLE {table} ({', '.join(parts)});"


def _upgrade(tree: ast.Module) -> ast.FunctionDef | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "upgrade":
            return node
    return None


def revision_sql(text: str, file: str | None = None) -> RevisionSql | None:
    """The SQL of the revision's upgrade(), or None when the file has no upgrade() (not a revision)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        where = f"{file}:" if file else "line "
        raise InvalidInput(f"{where}{exc.lineno}:{exc.offset}: Python syntax error: {exc.msg}") from None
    upgrade = _upgrade(tree)
    if upgrade is None:
        return None
    reader = _Reader(text, file)
    reader.body(upgrade.body, {})
    return reader.out


def _type_node(type_sql: str) -> dict[str, Any] | None:
    try:
        parsed = json.loads(pg_parser.parse_sql_json(f"CREATE TABLE _t (_c {type_sql})"))
        return parsed["stmts"][0]["stmt"]["CreateStmt"]["tableElts"][0]["ColumnDef"]["typeName"]
    except (pg_parser.ParseError, KeyError, IndexError):
        return None


def lint_revision(
    text: str,
    *,
    file: str | None,
    rules: Sequence[ModuleType],
    pg_version: int,
    schema: SchemaState | None = None,
    explicit: bool = True,
) -> FileResult | None:
    """Lint an Alembic revision; None when it is not one and was found in a folder (env.py...)."""
    revision = revision_sql(text, file)
    if revision is None:
        if explicit:
            raise InvalidInput(f"{file or 'the file'} is not an Alembic revision: it has no upgrade() function")
        return None
    schema = schema or SchemaState()
    for key, type_sql in revision.column_types.items():
        node = _type_node(type_sql)
        if node is not None:
            schema.column_types.setdefault(key, node)
    if not revision.sql.strip():
        return FileResult(notes=revision.notes)
    result = lint_text(
        revision.sql,
        rules=rules,
        pg_version=pg_version,
        file=file,
        schema=schema,
        assume_in_transaction=True,
        line_map=revision.line_map,
        synthetic_lines=frozenset(revision.synthetic),
    )
    result.statements = max(0, result.statements - len(revision.synthetic))
    result.notes = revision.notes
    return result
