"""The linter's data: rule metadata, findings and the report the tool and the CLI return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from pgsage.knowledge.citations import Citation

from ..plumbing import CompactModel

__all__ = ["Citation", "Finding", "LintProblem", "LintReport", "Rule", "Severity"]

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Rule:
    """What a rule module exports as `RULE`. `lock` is the lock level the flagged statement takes."""

    id: str  # kebab-case, also the knowledge page id under knowledge/pages/migrations/
    severity: Severity
    summary: str
    why: str
    fix: str
    lock: str | None = None
    kb: str = ""
    # The rule only runs for these PostgreSQL majors (None = unbounded); finer version logic lives in check().
    min_pg_version: int | None = None
    max_pg_version: int | None = None
    # Majors where the rule's verdict or advice changes (check() reads ctx.pg_version), e.g. (11,).
    changed_in: tuple[int, ...] = ()
    # The statement node types check() looks at (empty: every statement); the engine skips the others.
    kinds: frozenset[str] = frozenset()

    def applies_to(self, pg_version: int) -> bool:
        low = self.min_pg_version or 0
        high = self.max_pg_version or 10_000
        return low <= pg_version <= high


class Finding(CompactModel):
    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int
    column: int
    statement: str = Field(description="The flagged statement, shortened")
    lock: str | None = Field(None, description="Lock level the statement takes")
    blocks: str | None = Field(None, description="What that lock blocks while held")
    why: str
    fix: str
    safe_sql: str | None = Field(None, description="The safe sequence of statements to run instead")
    citations: list[Citation] = Field(default_factory=list)


class LintProblem(CompactModel):
    """A file or statement that could not be linted (unreadable, malformed SQL, non-literal op.execute)."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    message: str


class LintReport(BaseModel):  # reports keep empty lists: 'no findings' is an answer
    pg_version: int
    pg_version_source: Literal["argument", "database", "default"] = "argument"
    files: list[str] = Field(default_factory=list)
    statements: int = 0
    rules_run: list[str] = Field(default_factory=list)
    rules_excluded: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    errors: list[LintProblem] = Field(default_factory=list, description="Files or statements not linted")
    notes: list[LintProblem] = Field(default_factory=list, description="Parts skipped, e.g. dynamic SQL")
    truncated: bool = False
