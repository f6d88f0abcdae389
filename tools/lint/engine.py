"""The lint engine: parse with pglast, walk the statements in order with their context, run the rules.

Rules only read; the engine alone updates what is known about earlier statements (tables created in the
file, timeouts set, NOT VALID checks and their validation, column types) after the rules have run, so a
rule always sees the file as it was before the statement it checks.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from pglast import parser as pg_parser

from ..errors import InvalidInput, NotFound
from ..source_files import expand_paths, read_text_file
from .context import FileState, LineMap, NotValidCheck, SchemaState, Source, StatementContext
from .model import Finding, LintProblem, LintReport
from .nodes import Node, column_defs, relname, strings, unwrap
from .rules import REGISTRY, RULES
from .rules._common import lock_taking

__all__ = [
    "DEFAULT_PG_VERSION",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_FINDINGS",
    "FileResult",
    "SqlParseError",
    "lint_paths",
    "lint_sql",
    "lint_text",
    "normalize_pg_version",
    "select_rules",
]

log = logging.getLogger(__name__)

# Advice must hold on every supported server; 18 is the newest major pgsage's knowledge base covers.
DEFAULT_PG_VERSION = 18
MAX_FINDINGS = 300
MAX_FILE_BYTES = 5_000_000
MAX_FILES = 2_000  # a folder with more is almost certainly not a migrations folder (e.g. "/" by mistake)
_BEGIN = {"TRANS_STMT_BEGIN", "TRANS_STMT_START"}
_END = {"TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE", "TRANS_STMT_COMMIT_PREPARED"}


class SqlParseError(InvalidInput):
    """Malformed SQL, with pglast's message and where it happened."""

    def __init__(self, message: str, file: str | None, line: int, column: int) -> None:
        where = f"{file}:" if file else "line "
        super().__init__(f"{where}{line}:{column}: {message}")
        self.problem = LintProblem(file=file, line=line, column=column, message=message)


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=list)
    statements: int = 0
    problems: list[LintProblem] = field(default_factory=list)
    notes: list[LintProblem] = field(default_factory=list)  # parts not linted (e.g. dynamic op.execute)


def normalize_pg_version(value: int | str | None) -> int:
    """16, "16", "16.4" or 160004 -> 16; None -> DEFAULT_PG_VERSION."""
    if value is None or value == "":
        return DEFAULT_PG_VERSION
    try:
        number = int(str(value).split(".")[0])
    except ValueError:
        raise InvalidInput(f"pg_version {value!r} is not a PostgreSQL major version such as 16") from None
    if number >= 90000:
        number //= 10000
    if not 9 <= number <= 30:
        raise InvalidInput(f"pg_version {value!r} is out of range: give a major version such as 12 or 17")
    return number


def select_rules(exclude: Iterable[str] | None = None) -> tuple[list[ModuleType], list[str]]:
    """The rules to run, and the excluded ids; unknown ids are an error naming the known ones."""
    excluded = sorted({e.strip() for e in exclude or () if e and e.strip()})
    unknown = [e for e in excluded if e not in RULES]
    if unknown:
        raise InvalidInput(f"unknown rule id(s) {', '.join(unknown)}; known rules: {', '.join(sorted(RULES))}")
    return [m for m in REGISTRY if m.RULE.id not in excluded], excluded


def _parse(source: Source) -> list[Node]:
    try:
        return json.loads(pg_parser.parse_sql_json(source.text)).get("stmts", [])
    except pg_parser.ParseError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        # No index means "at end of input": point just after the last statement text.
        offset = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else len(source.text.rstrip())
        line, column = source.raw_position(min(offset, len(source.text)))
        if source.line_map:
            line, column = source.line_map(line, column)
        raise SqlParseError(message, source.file, line, column) from None


def _timeout_value_set(node: Node) -> bool:
    """SET lock_timeout = 0 disables the timeout: only a non-zero value counts."""
    for arg in node.get("args", []):
        const = arg.get("A_Const", {})
        if "ival" in const:
            return int(const["ival"].get("ival", 0)) != 0
        if "sval" in const:
            return const["sval"].get("sval", "").strip() not in ("0", "")
    return False


def _not_null_column(expr: Node | None) -> str | None:
    """`col IS NOT NULL` -> col."""
    test = (expr or {}).get("NullTest")
    if not test or test.get("nulltesttype") != "IS_NOT_NULL":
        return None
    fields = strings(test.get("arg", {}).get("ColumnRef", {}).get("fields"))
    return fields[-1] if len(fields) == 1 else None


def _record(ctx: StatementContext) -> None:
    state, node, kind = ctx.state, ctx.node, ctx.kind
    for table, coldef, _new in column_defs(kind, node):
        if coldef.get("colname"):
            state.schema.column_types[(table, coldef["colname"])] = coldef.get("typeName", {})
    if kind in ("CreateStmt", "CreateTableAsStmt"):
        rel = node.get("relation") or node.get("into", {}).get("rel")
        state.created_tables.add(relname(rel))
    elif kind == "AlterEnumStmt" and node.get("newVal") and not node.get("oldVal") and ctx.transaction:
        state.new_enum_values[node["newVal"]] = (".".join(strings(node.get("typeName"))), ctx.transaction)
    elif kind == "CreateEnumStmt":
        state.schema.enums.add(".".join(strings(node.get("typeName"))))
    elif kind == "VariableSetStmt" and node.get("name") in ("lock_timeout", "statement_timeout"):
        name = node["name"]
        value = node.get("kind") == "VAR_SET_VALUE" and _timeout_value_set(node)
        if node.get("is_local") and not ctx.in_transaction:
            value = False  # SET LOCAL outside a transaction block only warns and changes nothing
        setattr(state, name, value)
        if value and node.get("is_local"):
            state.local_timeouts.add(name)
    elif kind == "AlterTableStmt":
        table = relname(node.get("relation"))
        for cmd in node.get("cmds", []):
            body = cmd.get("AlterTableCmd", {})
            subtype = body.get("subtype")
            if subtype == "AT_AlterColumnType" and body.get("name"):
                state.schema.column_types[(table, body["name"])] = (
                    body.get("def", {}).get("ColumnDef", {}).get("typeName", {})
                )
            elif subtype == "AT_AddConstraint":
                con = body.get("def", {}).get("Constraint", {})
                if con.get("skip_validation") and con.get("conname"):
                    column = None
                    if con.get("contype") == "CONSTR_CHECK":
                        column = _not_null_column(con.get("raw_expr"))
                    elif con.get("contype") == "CONSTR_NOTNULL":
                        keys = strings(con.get("keys"))
                        column = keys[0] if len(keys) == 1 else None
                    state.not_valid[(table, con["conname"])] = NotValidCheck(
                        table, con["conname"], column, ctx.transaction
                    )
            elif subtype == "AT_ValidateConstraint":
                check = state.not_valid.get((table, body.get("name", "")))
                if check and check.column:
                    state.validated_not_null.add((table, check.column))
    elif kind == "RenameStmt" and node.get("renameType") == "OBJECT_TABLE":
        old, new = relname(node.get("relation")), node.get("newname", "")
        if old in state.created_tables:
            state.created_tables.add(new)
    if not state.locking_seen and lock_taking(ctx):
        state.locking_seen = True
    state.previous.append((kind, node))


def lint_text(
    sql: str,
    *,
    rules: Sequence[ModuleType],
    pg_version: int,
    file: str | None = None,
    schema: SchemaState | None = None,
    assume_in_transaction: bool = False,
    line_map: LineMap | None = None,
    synthetic_lines: frozenset[int] = frozenset(),
) -> FileResult:
    """Lint one file's SQL. Raises SqlParseError for malformed SQL. Statements starting on a line in
    `synthetic_lines` (transaction control a migration tool adds) update the context but are not checked."""
    source = Source(sql, file, line_map)
    stmts = _parse(source)
    result = FileResult(statements=len(stmts))
    state = FileState(schema=schema or SchemaState())
    active = [m for m in rules if m.RULE.applies_to(pg_version)]
    active_ids = frozenset(m.RULE.id for m in active)
    by_kind: dict[str, list[ModuleType]] = {}
    in_txn, txn_serial, txn = assume_in_transaction, 0, 0
    if in_txn:
        txn_serial = txn = state.implicit_transaction = 1
    for index, raw in enumerate(stmts):
        kind, node = unwrap(raw["stmt"])
        location = raw.get("stmt_location", 0)
        start = source.statement_start(location)
        length = raw.get("stmt_len", 0)
        end = location + length if length else len(source.data)
        ctx = StatementContext(kind, node, index, start, end, in_txn, txn, pg_version, state, source, active_ids)
        synthetic = source.raw_position(source.char_offset(start))[0] in synthetic_lines
        if not synthetic:
            if kind not in by_kind:
                by_kind[kind] = [m for m in active if not m.RULE.kinds or kind in m.RULE.kinds]
            for module in by_kind[kind]:
                try:
                    result.findings.extend(module.check(ctx))
                except Exception as exc:  # a broken rule must not hide the other rules' findings
                    log.exception("rule %s failed", module.RULE.id)
                    line, column = source.position(start)
                    result.problems.append(
                        LintProblem(
                            file=file,
                            line=line,
                            column=column,
                            message=f"rule {module.RULE.id} failed on this statement: {exc!r}",
                        )
                    )
        _record(ctx)
        if kind == "TransactionStmt":
            tkind = node.get("kind")
            if tkind in _BEGIN and not in_txn:
                txn_serial += 1
                in_txn, txn = True, txn_serial
                if synthetic:  # the migration tool reopening its transaction after an autocommit block
                    state.implicit_transaction = txn
            elif tkind in _END:
                in_txn, txn = False, 0
                state.new_enum_values.clear()
                for name in state.local_timeouts:
                    setattr(state, name, False)
                state.local_timeouts.clear()
    result.findings.sort(key=lambda f: (f.line, f.column))
    return result


def _report(pg_version: int, rules: Sequence[ModuleType], excluded: list[str]) -> LintReport:
    return LintReport(
        pg_version=pg_version,
        rules_run=[m.RULE.id for m in rules if m.RULE.applies_to(pg_version)],
        rules_excluded=excluded,
    )


def _cap(report: LintReport, max_findings: int) -> LintReport:
    if len(report.findings) > max_findings:
        report.findings = report.findings[:max_findings]
        report.truncated = True
    return report


def lint_sql(
    sql: str,
    *,
    pg_version: int | str | None = None,
    exclude: Iterable[str] | None = None,
    file: str | None = None,
    max_findings: int = MAX_FINDINGS,
    assume_in_transaction: bool = False,
) -> LintReport:
    """Lint a migration given as SQL text; malformed or empty SQL raises InvalidInput.

    `assume_in_transaction`: the migration tool wraps the file in a transaction (Django, Flyway, Rails...).
    """
    version = normalize_pg_version(pg_version)
    rules, excluded = select_rules(exclude)
    if not sql or not sql.strip():
        raise InvalidInput("the migration SQL is empty: pass the statements to lint")
    result = lint_text(sql, rules=rules, pg_version=version, file=file, assume_in_transaction=assume_in_transaction)
    if result.statements == 0:
        raise InvalidInput("the migration has no SQL statements (only comments or whitespace)")
    report = _report(version, rules, excluded)
    report.files = [file] if file else []
    report.statements = result.statements
    report.findings = result.findings
    report.errors = result.problems
    return _cap(report, max_findings)


def _expand(paths: Sequence[str | Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for each path; folders give their *.sql and *.py files in name order."""
    return expand_paths(paths, (".sql", ".py"), max_files=MAX_FILES)


def _read(path: Path) -> str:
    return read_text_file(path, max_bytes=MAX_FILE_BYTES)


def lint_paths(
    paths: Sequence[str | Path],
    *,
    pg_version: int | str | None = None,
    exclude: Iterable[str] | None = None,
    max_findings: int = MAX_FINDINGS,
    assume_in_transaction: bool = False,
) -> LintReport:
    """Lint migration files in the order given (folders in name order), sharing what earlier files declared.

    Missing paths raise NotFound; a file that cannot be read or parsed is reported in `errors` and the
    others are still linted.
    """
    from . import alembic  # the Alembic reader needs the engine; imported late to keep the cycle one-way

    if not paths:
        raise InvalidInput("no files given: pass migration .sql files, Alembic revisions or folders")
    version = normalize_pg_version(pg_version)
    rules, excluded = select_rules(exclude)
    report = _report(version, rules, excluded)
    schema = SchemaState()
    for path, explicit in _expand(paths):
        name = str(path)
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError, InvalidInput, NotFound) as exc:
            report.errors.append(LintProblem(file=name, message=f"cannot read the file: {exc}"))
            continue
        try:
            if path.suffix == ".py":
                result = alembic.lint_revision(
                    text, file=name, rules=rules, pg_version=version, schema=schema, explicit=explicit
                )
                if result is None:  # not an Alembic revision (env.py, __init__.py) found in a folder
                    continue
            else:
                result = lint_text(
                    text,
                    rules=rules,
                    pg_version=version,
                    file=name,
                    schema=schema,
                    assume_in_transaction=assume_in_transaction,
                )
        except SqlParseError as exc:
            report.files.append(name)
            report.errors.append(exc.problem)
            continue
        except InvalidInput as exc:
            report.files.append(name)
            report.errors.append(LintProblem(file=name, message=str(exc)))
            continue
        report.files.append(name)
        report.statements += result.statements
        report.findings.extend(result.findings)
        report.errors.extend(result.problems)
        report.notes.extend(result.notes)
    if not report.files and not report.errors:
        raise InvalidInput("no .sql files or Alembic revisions found in the given paths")
    return _cap(report, max_findings)
