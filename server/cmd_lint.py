"""`pgsage lint PATH...`: lint migration files for zero-downtime safety.

Exit status: 0 clean, 1 findings, 2 usage errors, unreadable files or malformed SQL.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from pgsage.tools.errors import PgsageError
from pgsage.tools.lint import LintReport, lint_paths, lint_sql

__all__ = ["add_parser", "format_github", "format_text", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the `lint` subcommand; its `func` takes the parsed args and returns an exit code."""
    parser = sub.add_parser(
        "lint",
        help="lint migration files (SQL or Alembic) for zero-downtime safety",
        description="Lint SQL migrations and Alembic revisions for locks, rewrites and breaking changes. "
        "Folders are linted in file-name order; '-' reads SQL from standard input. "
        "Exit status: 0 clean, 1 findings, 2 usage or parse errors.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".sql file, Alembic revision, folder or -")
    parser.add_argument("--format", choices=["text", "json", "github"], default="text")
    parser.add_argument("--pg-version", help="PostgreSQL major version the migration targets [18]")
    parser.add_argument("--exclude", default="", help="comma-separated rule ids to skip")
    parser.add_argument(
        "--assume-in-transaction",
        action="store_true",
        help="the migration tool wraps each .sql file in a transaction (Alembic revisions always are)",
    )
    parser.set_defaults(func=run)


def _location(file: str | None, line: int | None, column: int | None) -> str:
    parts = [file or "<sql>"]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts)


def format_text(report: LintReport) -> str:
    out: list[str] = []
    for f in report.findings:
        out.append(f"{_location(f.file, f.line, f.column)}: {f.severity} {f.rule}: {f.message}")
        if f.lock:
            out.append(f"    lock: {f.lock} (blocks {f.blocks})")
        out.append(f"    fix: {f.fix}")
        if f.safe_sql:
            out.append("    instead:")
            out.extend(f"      {line}" for line in f.safe_sql.splitlines())
        cites = ", ".join(c.url or c.id for c in f.citations)
        if cites:
            out.append(f"    see: {cites}")
    for p in report.errors:
        out.append(f"{_location(p.file, p.line, p.column)}: error: {p.message}")
    for p in report.notes:
        out.append(f"{_location(p.file, p.line, p.column)}: note: {p.message}")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    excluded = f"; excluded: {', '.join(report.rules_excluded)}" if report.rules_excluded else ""
    out.append(
        f"{len(report.findings)} finding(s) ({counts['error']} error, {counts['warning']} warning, "
        f"{counts['info']} info) in {len(report.files) or 1} file(s), {report.statements} statement(s); "
        f"PostgreSQL {report.pg_version}; {len(report.rules_run)} rules run{excluded}"
        + (" (findings truncated)" if report.truncated else "")
    )
    return "\n".join(out)


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(report: LintReport) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's files."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for f in report.findings:
        props = f"file={_escape(f.file or '', True)},line={f.line},col={f.column},title={_escape(f.rule, True)}"
        body = f.message + (f"\nInstead:\n{f.safe_sql}" if f.safe_sql else "")
        out.append(f"::{level[f.severity]} {props}::{_escape(body)}")
    for p in report.errors:
        props = f"file={_escape(p.file or '', True)}" + (f",line={p.line}" if p.line else "")
        out.append(f"::error {props}::{_escape(p.message)}")
    return "\n".join(out)


def _lint(args: argparse.Namespace, stdin: TextIO) -> LintReport:
    exclude = [e for e in args.exclude.split(",") if e.strip()]
    if args.paths == ["-"]:
        return lint_sql(
            stdin.read(),
            pg_version=args.pg_version,
            exclude=exclude,
            file="<stdin>",
            assume_in_transaction=args.assume_in_transaction,
        )
    if "-" in args.paths:
        raise PgsageError("'-' (standard input) cannot be combined with other paths")
    return lint_paths(
        args.paths, pg_version=args.pg_version, exclude=exclude, assume_in_transaction=args.assume_in_transaction
    )


def run(args: argparse.Namespace) -> int:
    try:
        report = _lint(args, sys.stdin)
    except PgsageError as exc:
        print(f"pgsage lint: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(report.model_dump_json(indent=2, exclude_none=True))
    elif args.format == "github":
        text = format_github(report)
        if text:
            print(text)
    else:
        print(format_text(report))
    if report.errors:
        return 2
    return 1 if report.findings else 0
