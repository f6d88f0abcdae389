"""Tenant-owned tables whose tenant column allows NULL.

A row with a NULL tenant belongs to no tenant: every `WHERE project_id = $1` misses it and RLS policies
comparing the column hide it from everyone (or, with careless policies, from no one). Tenant-owned means
the table has the tenant column (Config.tenant_column); see tools/review/tenancy.py.
"""

from __future__ import annotations

from ...schema_model.model import SchemaModel
from ...sqlident import quote_ident
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import LOCK_TIMEOUT, table_name

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="tenant-column-not-null",
    severity="error",
    kb=("tenant-isolation-schema",),
    summary="the tenant column of a tenant-owned table must be NOT NULL",
)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    col_name = ctx.tenant_column
    for table in ctx.tenancy.owned:
        column = table.column(col_name)
        if column is None or column.not_null:
            continue
        name, col = table_name(table), quote_ident(col_name)
        check_name = quote_ident(f"{table.name}_{col_name}_not_null"[:63])
        findings.append(
            new_finding(
                RULE,
                f"{table.qualified}.{col_name}",
                why=(
                    f"{table.qualified} holds tenant data but {col_name} allows NULL: such rows belong to no "
                    "tenant, escape tenant filters and policies, and are never deleted with their tenant."
                ),
                evidence=f"{col_name} {column.type} is nullable",
                fix=(
                    "-- backfill or delete rows with a NULL tenant first; then, without a long exclusive lock:\n"
                    f"ALTER TABLE {name} ADD CONSTRAINT {check_name} CHECK ({col} IS NOT NULL) NOT VALID;\n"
                    f"ALTER TABLE {name} VALIDATE CONSTRAINT {check_name};\n"
                    f"{LOCK_TIMEOUT}\n"
                    f"ALTER TABLE {name} ALTER COLUMN {col} SET NOT NULL;  -- PG 12+: uses the CHECK, no scan\n"
                    f"ALTER TABLE {name} DROP CONSTRAINT {check_name};"
                ),
            )
        )
    return findings
