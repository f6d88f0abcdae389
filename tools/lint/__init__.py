"""Migration linter: zero-downtime safety checks for SQL migrations and Alembic revisions."""

from __future__ import annotations

from .engine import DEFAULT_PG_VERSION, SqlParseError, lint_paths, lint_sql, normalize_pg_version, select_rules
from .model import Citation, Finding, LintProblem, LintReport, Rule
from .rules import REGISTRY, RULES

__all__ = [
    "DEFAULT_PG_VERSION",
    "REGISTRY",
    "RULES",
    "Citation",
    "Finding",
    "LintProblem",
    "LintReport",
    "Rule",
    "SqlParseError",
    "lint_paths",
    "lint_sql",
    "normalize_pg_version",
    "select_rules",
]
