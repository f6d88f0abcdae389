"""Tenant-owned tables without an index led by the tenant column.

Every query of a tenant-owned table filters by the tenant column, and deleting a tenant cascades by
it: without an index that starts with it (alone or as the first key of a composite), each of those
scans the whole table. Reported here instead of by `fk-without-index` for the tenant foreign key.
"""

from __future__ import annotations

from ...schema_model.model import SchemaModel
from ...sqlident import quote_ident
from ..citations import new_finding
from ..context import ReviewContext, index_leads_with, usable_indexes
from ..finding import Finding, RuleInfo
from ..fixes import create_index

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="tenant-index",
    severity="warning",
    kb=("tenant-isolation-schema", "fk-indexes"),
    summary="tenant-owned tables need an index led by the tenant column",
)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    col_name = ctx.tenant_column
    for table in ctx.tenancy.owned:
        if any(i.method == "btree" and index_leads_with(i, [col_name]) for i in usable_indexes(table)):
            continue
        findings.append(
            new_finding(
                RULE,
                f"{table.qualified}.{col_name}",
                why=(
                    f"Queries on {table.qualified} filter by {col_name} and deleting a tenant cascades by it; "
                    "with no index starting with it, each is a full scan. Prefer leading an existing "
                    f"composite index with {col_name} when the queries filter on more columns."
                ),
                evidence=f"no valid, non-partial B-tree index on {table.qualified} starts with {col_name}",
                fix=create_index(table, quote_ident(col_name), [col_name]),
            )
        )
    return findings
