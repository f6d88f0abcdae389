"""Tables without a primary key.

Without one, rows cannot be addressed reliably (duplicates creep in), logical replication cannot
replicate UPDATE/DELETE, and ORMs and tools that need a row identity break.
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
    id="table-without-primary-key",
    severity="warning",
    kb=("primary-keys",),
    summary="every table needs a primary key",
)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for table in model.tables:
        if table.primary_key is not None:
            continue
        name = table_name(table)
        pk_name = quote_ident(f"{table.name}_pkey"[:63])
        candidate = next(
            (
                i
                for i in table.indexes
                if i.unique
                and i.valid
                and i.predicate is None
                and i.keys
                and not i.include
                and all(k.column and (c := table.column(k.column)) and c.not_null for k in i.keys)
            ),
            None,
        )
        if candidate is not None:
            fix = (
                f"{LOCK_TIMEOUT}\nALTER TABLE {name} ADD CONSTRAINT {pk_name} PRIMARY KEY USING INDEX "
                f"{quote_ident(candidate.name)};"
            )
            hint = f"the unique index {candidate.name} on NOT NULL columns can become the primary key"
        elif table.column("id") is not None:
            fix = (
                f"CREATE UNIQUE INDEX CONCURRENTLY {pk_name} ON {name} (id);\n{LOCK_TIMEOUT}\n"
                f"ALTER TABLE {name} ADD CONSTRAINT {pk_name} PRIMARY KEY USING INDEX {pk_name};"
            )
            hint = "the id column looks like the key (it must be NOT NULL and unique)"
        else:
            fix = (
                f"-- rewrites the table under an ACCESS EXCLUSIVE lock: plan a maintenance window\n{LOCK_TIMEOUT}\n"
                f"ALTER TABLE {name} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;"
            )
            hint = "no unique NOT NULL columns found"
        findings.append(
            new_finding(
                RULE,
                table.qualified,
                why=(
                    "A table without a primary key lets duplicate rows in, cannot replicate UPDATE/DELETE "
                    f"logically, and gives ORMs no row identity; {hint}."
                ),
                evidence=f"no PRIMARY KEY constraint on {table.qualified}",
                fix=fix,
            )
        )
    return findings
