"""What a review produces: findings with their why, evidence, safe fix and citations, and the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from pgsage.knowledge.citations import Citation

from ..plumbing import CompactModel

__all__ = ["SEVERITY_ORDER", "Citation", "Finding", "ReviewReport", "RuleInfo", "Severity", "TenancySummary"]

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class RuleInfo:
    """A rule's identity: kebab-case id (also how it is switched off), default severity, knowledge pages."""

    id: str
    severity: Severity
    kb: tuple[str, ...]
    summary: str


class Finding(CompactModel):
    rule: str
    severity: Severity
    object: str  # schema.table, schema.table.column, or schema.index
    why: str
    evidence: str
    fix: str | None = None  # SQL in its safe form (CONCURRENTLY, NOT VALID + VALIDATE, lock_timeout)
    citations: list[Citation] = Field(default_factory=list)


class TenancySummary(CompactModel):
    """How the tenant rules read the schema: a table is tenant-owned when it has the tenant column."""

    column: str
    tenant_table: str | None = None  # target of the tenant column's foreign keys (or guessed from its name)
    owned_tables: list[str] = Field(default_factory=list)


class ReviewReport(BaseModel):  # reports keep empty lists: 'no findings' is an answer
    source: Literal["database", "sql"]
    tables: int
    rules_run: list[str]
    rules_skipped: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)  # findings per severity
    findings: list[Finding] = Field(default_factory=list)
    truncated: bool = False
    tenancy: TenancySummary | None = None  # present when a tenant-* rule ran
    notes: list[str] = Field(default_factory=list)  # loader warnings, rules that failed
