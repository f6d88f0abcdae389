"""The "Database Schema Recommendations" report: structured sections and their Markdown rendering.

The section order and headings follow the template the seed planning agents expect.
"""

from __future__ import annotations

from pydantic import BaseModel

from pgsage.knowledge.citations import Citation

from ..plumbing import CompactModel

__all__ = [
    "IndexPlan",
    "JsonbStrategy",
    "MigrationPlan",
    "PlanReport",
    "QueryPattern",
    "ResearchSource",
    "TablePlan",
    "TriggerPlan",
    "render_markdown",
]

_MAX_MARKDOWN = 16_000


class TablePlan(CompactModel):
    table: str
    purpose: str
    changes: list[str]
    rationale: list[str]
    citations: list[Citation] = []


class IndexPlan(CompactModel):
    name: str
    type: str
    columns: str
    purpose: str
    rationale: str
    statement: str
    measured: bool


class TriggerPlan(CompactModel):
    name: str
    purpose: str
    approach: str
    called_by: str


class JsonbStrategy(BaseModel):  # reports keep empty lists: 'no findings' is an answer
    known_fields: list[str] = []
    flexible_fields: list[str] = []
    validation: list[str] = []


class QueryPattern(CompactModel):
    name: str
    sql: str
    index_usage: str
    performance: str


class MigrationPlan(BaseModel):  # reports keep empty lists: 'no findings' is an answer
    ddl: str
    lint_clean: bool
    lint_findings: list[str] = []
    dry_run: str | None = None
    zero_downtime: list[str] = []
    rollback: list[str] = []
    held_back: list[str] = []  # fixes that need a manual, multi-step migration


class ResearchSource(CompactModel):
    kind: str  # "knowledge" or "project"
    ref: str  # page id, or path:line
    title: str
    url: str | None = None


class PlanReport(BaseModel):  # reports keep empty lists: 'no findings' is an answer
    feature: str
    tables: list[TablePlan]
    indexes: list[IndexPlan]
    functions: list[TriggerPlan]
    jsonb: JsonbStrategy
    queries: list[QueryPattern]
    performance: list[str]
    migration: MigrationPlan
    research_sources: list[ResearchSource]
    notes: list[str] = []
    markdown: str = ""


def _bullets(items: list[str], indent: str = "- ") -> list[str]:
    return [f"{indent}{item}" for item in items] or [f"{indent}None."]


def render_markdown(plan: PlanReport) -> str:
    out = ["## Database Schema Recommendations", "", f"Feature: {plan.feature}", ""]
    out += ["### Tables to Modify/Create"]
    for t in plan.tables:
        out += [f"- {t.table}:", f"  - Purpose: {t.purpose}"]
        out += ["  - Changes:", *_bullets(t.changes, "    - ")]
        out += ["  - Rationale:", *_bullets(t.rationale, "    - ")]
    if not plan.tables:
        out.append("- No table changes found for this feature.")
    out += ["", "### Indexes Required"]
    for i in plan.indexes:
        measured = "measured with HypoPG" if i.measured else "from the query shape"
        out += [
            f"- {i.name}:",
            f"  - Type: {i.type.upper()}",
            f"  - Columns: {i.columns}",
            f"  - Purpose: {i.purpose}",
            f"  - Rationale: {i.rationale} ({measured})",
        ]
    if not plan.indexes:
        out.append("- None beyond the existing ones.")
    out += ["", "### Functions/Triggers"]
    for f in plan.functions:
        out += [
            f"- {f.name}:",
            f"  - Purpose: {f.purpose}",
            f"  - Approach: {f.approach}",
            f"  - Called by: {f.called_by}",
        ]
    if not plan.functions:
        out.append("- None needed.")
    out += [
        "",
        "### JSONB Metadata Strategy",
        "**Known Fields (Dedicated Columns):**",
        *_bullets(plan.jsonb.known_fields),
        "",
        "**Unknown Fields (JSONB meta column):**",
        *_bullets(plan.jsonb.flexible_fields),
        "",
        "**Validation:**",
        *_bullets(plan.jsonb.validation),
    ]
    out += ["", "### Query Patterns"]
    for n, q in enumerate(plan.queries, 1):
        out += [
            f"**Pattern {n}: {q.name}**",
            "- Pseudocode:",
            "  ```sql",
            f"  {q.sql}",
            "  ```",
            f"- Index usage: {q.index_usage}",
            f"- Performance: {q.performance}",
            "",
        ]
    if not plan.queries:
        out += ["- No queries were given; pass `queries` to get measured index advice.", ""]
    out += ["### Performance Considerations", *_bullets(plan.performance)]
    m = plan.migration
    out += ["", "### Migration Strategy (High-Level)", "- Zero-downtime approach:", *_bullets(m.zero_downtime, "  - ")]
    out += ["- Rollback plan:", *_bullets(m.rollback, "  - ")]
    lint = "lints clean" if m.lint_clean else f"has {len(m.lint_findings)} lint finding(s)"
    out += [
        f"- Proposed DDL ({lint}; {m.dry_run or 'not dry-run'}):",
        "  ```sql",
        *[f"  {line}" for line in m.ddl.splitlines()],
        "  ```",
    ]
    if m.held_back:
        out += ["- Needs a manual multi-step migration:", *_bullets(m.held_back, "  - ")]
    out += ["", "### Research Sources"]
    for s in plan.research_sources:
        label = "pgsage knowledge" if s.kind == "knowledge" else "Project"
        url = f" <{s.url}>" if s.url else ""
        out.append(f"- {label}: {s.title} ({s.ref}){url}")
    if plan.notes:
        out += ["", "### Notes", *_bullets(plan.notes)]
    text = "\n".join(out) + "\n"
    if len(text) > _MAX_MARKDOWN:
        text = text[: _MAX_MARKDOWN - 60] + "\n\n... (truncated; the structured fields hold everything)\n"
    return text
