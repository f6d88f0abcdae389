"""Foreign keys whose referencing columns no index leads with.

Deleting or updating a referenced row makes PostgreSQL look up the referencing rows; without an index
led by the foreign key's columns (in any order) that is a sequential scan of the referencing table per
row, and joins along the key cannot use an index either. A partial index does not count.

Tenant columns are left to `tenant-index` when that rule runs, so one gap is reported once.
"""

from __future__ import annotations

from ...schema_model.model import SchemaModel
from ..citations import new_finding
from ..context import ReviewContext, index_leads_with, usable_indexes
from ..finding import Finding, RuleInfo
from ..fixes import column_list, create_index

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="fk-without-index",
    severity="warning",
    kb=("fk-indexes",),
    summary="foreign keys need an index led by their columns",
)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for table in model.tables:
        indexes = [i for i in usable_indexes(table) if i.method == "btree" or (i.method == "hash" and len(i.keys) == 1)]
        for fk in table.foreign_keys:
            if "tenant-index" in ctx.active_rules and fk.columns == [ctx.tenant_column] and ctx.is_tenant_owned(table):
                continue
            if any(index_leads_with(index, fk.columns) for index in indexes):
                continue
            cols = ", ".join(fk.columns)
            target = f"{fk.ref_schema}.{fk.ref_table}({', '.join(fk.ref_columns)})"
            findings.append(
                new_finding(
                    RULE,
                    f"{table.qualified}.{fk.name}",
                    why=(
                        f"Deleting or updating a row of {fk.ref_schema}.{fk.ref_table} scans {table.qualified} "
                        f"to find rows referencing it, and joins on ({cols}) cannot use an index."
                    ),
                    evidence=(
                        f"foreign key {fk.name} ({cols}) -> {target}; no valid, non-partial index on "
                        f"{table.qualified} starts with ({cols})"
                    ),
                    fix=create_index(table, column_list(fk.columns), fk.columns),
                )
            )
    return findings
