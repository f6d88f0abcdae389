"""Where the schema uses row-level security at all, every tenant-owned table must enable and force it
and have a policy on the tenant column.

One table left out of RLS is enough to leak another tenant's rows. RLS is bypassed by the table owner
unless FORCE ROW LEVEL SECURITY is set (and always by superusers and BYPASSRLS roles), and a table with
RLS enabled but no policy on the tenant column either shows nothing or isolates nothing. Schemas with no
RLS anywhere are not judged: they isolate tenants in the application.
"""

from __future__ import annotations

from ...schema_model.model import SchemaModel
from ...sqlident import quote_ident
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import table_name

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="tenant-rls",
    severity="error",
    kb=("rls-multi-tenant", "rls-force-and-owners", "tenant-isolation-schema"),
    summary="with RLS in use, tenant-owned tables must enable and force RLS with a tenant policy",
)


def _template(model: SchemaModel, column: str) -> str | None:
    """The USING expression of an existing tenant policy, to reuse on tables that lack one."""
    for table in model.tables:
        for policy in table.policies:
            if column in policy.columns and policy.using:
                return policy.using
    return None


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    if not model.uses_rls:
        return findings
    col_name = ctx.tenant_column
    template = _template(model, col_name)
    for table in ctx.tenancy.owned:
        missing: list[str] = []
        steps: list[str] = []
        name = table_name(table)
        if not table.rls_enabled:
            missing.append("RLS is not enabled")
            steps.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;")
        if not table.rls_forced:
            missing.append("RLS is not forced (the table owner bypasses it)")
            steps.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY;")
        if not any(col_name in p.columns for p in table.policies):
            missing.append(f"no policy refers to {col_name}")
            column = table.column(col_name)
            expr = template or (
                f"{quote_ident(col_name)} = current_setting('app.{col_name}')::{column.type if column else 'uuid'}"
            )
            policy = quote_ident(f"{table.name}_tenant_isolation"[:63])
            steps.append(f"CREATE POLICY {policy} ON {name} USING ({expr}) WITH CHECK ({expr});")
        if not missing:
            continue
        severity = "error" if not table.rls_enabled or f"no policy refers to {col_name}" in missing else "warning"
        findings.append(
            new_finding(
                RULE,
                table.qualified,
                severity=severity,
                why=(
                    "The schema isolates tenants with row-level security, but on this tenant-owned table "
                    + "; ".join(missing)
                    + ". Its rows are visible across tenants to the roles RLS should restrict."
                ),
                evidence=(
                    f"rls_enabled={table.rls_enabled}, rls_forced={table.rls_forced}, policies: "
                    + (", ".join(f"{p.name} on ({', '.join(p.columns) or '-'})" for p in table.policies) or "none")
                ),
                fix="\n".join(steps),
            )
        )
    return findings
