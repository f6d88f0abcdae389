"""Tenant-owned tables whose tenant column has no foreign key to the tenant table, or one that does
not cascade deletes.

Without the foreign key, rows can point at tenants that never existed; without ON DELETE CASCADE,
deleting a tenant either fails or leaves its data behind. The tenant table is the target of the tenant
column's foreign keys elsewhere in the schema (see tools/review/tenancy.py).
"""

from __future__ import annotations

from ...schema_model.model import SchemaModel
from ...sqlident import qualified_name, quote_ident
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import table_name

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="tenant-foreign-key",
    severity="error",
    kb=("tenant-isolation-schema",),
    summary="the tenant column needs a foreign key to the tenant table with ON DELETE CASCADE",
)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    tenancy = ctx.tenancy
    col_name = ctx.tenant_column
    if tenancy.tenant_table is None:
        return findings
    target = f"{qualified_name(tenancy.tenant_schema, tenancy.tenant_table)} ({quote_ident(tenancy.tenant_key)})"
    for table in tenancy.owned:
        name, col = table_name(table), quote_ident(col_name)
        fks = [fk for fk in table.foreign_keys if fk.columns == [col_name]]
        new_name = quote_ident(f"{table.name}_{col_name}_fkey"[:63])
        add = (
            f"ALTER TABLE {name} ADD CONSTRAINT {{name}} FOREIGN KEY ({col}) REFERENCES {target} "
            f"ON DELETE CASCADE NOT VALID;\nALTER TABLE {name} VALIDATE CONSTRAINT {{name}};"
        )
        if not fks:
            findings.append(
                new_finding(
                    RULE,
                    f"{table.qualified}.{col_name}",
                    why=(
                        f"Nothing ties {col_name} to {tenancy.tenant_qualified}: rows can name tenants that do "
                        "not exist, and deleting a tenant leaves these rows behind."
                    ),
                    evidence=f"no foreign key on ({col_name})",
                    fix=add.format(name=new_name),
                )
            )
            continue
        if any(fk.on_delete == "cascade" for fk in fks):
            continue
        fk = fks[0]
        replacement = quote_ident(f"{fk.name}_cascade"[:63])
        findings.append(
            new_finding(
                RULE,
                f"{table.qualified}.{col_name}",
                severity="warning",
                why=(
                    f"Deleting a tenant from {fk.ref_schema}.{fk.ref_table} "
                    + ("fails while" if fk.on_delete in ("no action", "restrict") else "does not remove")
                    + f" rows of {table.qualified}; tenant-owned data should go with its tenant."
                ),
                evidence=f"foreign key {fk.name} ({col_name}) ON DELETE {(fk.on_delete or 'no action').upper()}",
                fix=(
                    add.format(name=replacement) + f"\nALTER TABLE {name} DROP CONSTRAINT {quote_ident(fk.name)};\n"
                    f"ALTER TABLE {name} RENAME CONSTRAINT {replacement} TO {quote_ident(fk.name)};"
                ),
            )
        )
    return findings
