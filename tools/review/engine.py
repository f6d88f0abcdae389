"""`review(model, ...)`: run the rules on a schema model and gather a sorted, cited report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..errors import NotFound
from ..schema_model.model import SchemaModel
from .context import ReviewContext
from .finding import SEVERITY_ORDER, Finding, ReviewReport, TenancySummary
from .queries import analyze_queries
from .rules import REGISTRY

__all__ = ["review", "select_rules"]


def select_rules(rules: Iterable[str] | None = None, skip: Iterable[str] | None = None) -> list[str]:
    """Rule ids to run: `rules` (all when None) minus `skip`; unknown ids raise NotFound."""
    chosen = list(dict.fromkeys(rules)) if rules is not None else list(REGISTRY)
    skipped = list(dict.fromkeys(skip or []))
    unknown = [r for r in [*chosen, *skipped] if r not in REGISTRY]
    if unknown:
        raise NotFound(f"unknown rule id(s) {', '.join(unknown)}; known rules: {', '.join(REGISTRY)}")
    return [r for r in REGISTRY if r in chosen and r not in skipped]


def review(
    model: SchemaModel,
    rules: Iterable[str] | None = None,
    tenant_column: str = "project_id",
    queries: list[str] | None = None,
    skip: Iterable[str] | None = None,
    max_findings: int | None = None,
    workload: list[str] | None = None,
    max_bytes: int | None = None,
) -> ReviewReport:
    """Review `model` with the chosen rules; `queries` (SQL strings) tell rules how columns are used.

    `workload` is more queries (e.g. from pg_stat_statements) whose unparsable texts are skipped, not
    refused. A rule that crashes is reported in `notes` and the others still run.
    """
    run = select_rules(rules, skip)
    usage = analyze_queries(queries, model, workload)
    ctx = ReviewContext(model=model, tenant_column=tenant_column, usage=usage, active_rules=frozenset(run))
    findings: list[Finding] = []
    notes = list(model.warnings)
    if workload is not None:
        notes.append(
            f"workload: {len(workload)} statements read"
            + (f", {usage.skipped} skipped because they do not parse" if usage.skipped else "")
        )
    for rule_id in run:
        _, check = REGISTRY[rule_id]
        try:
            findings.extend(check(model, ctx))
        except Exception as exc:  # one broken rule must not hide the others' findings
            notes.append(f"rule {rule_id} failed: {type(exc).__name__}: {exc}")
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.rule, f.object))
    counts = Counter(f.severity for f in findings)
    truncated = max_findings is not None and len(findings) > max_findings
    kept = findings[:max_findings] if truncated else findings
    if max_bytes is not None:
        used = 0
        for index, finding in enumerate(kept):
            used += len(finding.model_dump_json().encode())
            if used > max_bytes:
                kept, truncated = kept[:index], True
                notes.append(f"findings cut at the byte cap of {max_bytes}: narrow with tables, rules or exclude")
                break
    tenancy = None
    if any(rule_id.startswith("tenant-") for rule_id in run):
        tenancy = TenancySummary(
            column=tenant_column,
            tenant_table=ctx.tenancy.tenant_qualified,
            owned_tables=[t.qualified for t in ctx.tenancy.owned],
        )
    return ReviewReport(
        source=model.source,
        tables=len(model.tables),
        rules_run=run,
        rules_skipped=[r for r in REGISTRY if r not in run],
        counts={s: counts[s] for s in SEVERITY_ORDER if counts[s]},
        findings=kept,
        truncated=truncated,
        tenancy=tenancy,
        notes=notes,
    )
