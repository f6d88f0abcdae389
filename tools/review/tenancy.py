"""Which tables hold tenant data, and which table is the tenant.

A table is *tenant-owned* when it has the tenant column (Config.tenant_column, default `project_id`).
Tables without the column (`users`, lookup tables, the tenant table itself) are never flagged: the schema
cannot tell whether they should carry tenant data, and requiring the column everywhere would flag shared
tables that are correct as they are.

The *tenant table* is the table the tenant column's foreign keys point to (the most common target when
they disagree). With no such foreign key anywhere, a table named after the column (`project_id` ->
`projects` or `project`) is taken; it is excluded from the tenant-owned set even if it has the column.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..schema_model.model import SchemaModel, Table

__all__ = ["Tenancy", "find_tenancy"]


@dataclass
class Tenancy:
    column: str
    tenant_schema: str | None
    tenant_table: str | None
    tenant_key: str  # the referenced column, usually `id`
    owned: list[Table] = field(default_factory=list)

    @property
    def tenant_qualified(self) -> str | None:
        return f"{self.tenant_schema}.{self.tenant_table}" if self.tenant_table else None


def _guess_names(column: str) -> list[str]:
    stem = column.removesuffix("_id")
    return [stem + "s", stem, stem + "es"] if stem != column else []


def find_tenancy(model: SchemaModel, column: str) -> Tenancy:
    targets: Counter[tuple[str, str, str]] = Counter()
    for table in model.tables:
        for fk in table.foreign_keys:
            if fk.columns == [column] and fk.ref_table:
                key = fk.ref_columns[0] if fk.ref_columns else "id"
                targets[(fk.ref_schema or table.schema_name, fk.ref_table, key)] += 1
    schema: str | None = None
    name: str | None = None
    key = "id"
    if targets:
        (schema, name, key), _ = targets.most_common(1)[0]
    else:
        for guess in _guess_names(column):
            found = model.table(guess)
            if found is not None:
                schema, name = found.schema_name, found.name
                pk = found.primary_key
                key = pk.columns[0] if pk and len(pk.columns) == 1 else "id"
                break
        else:
            guesses = _guess_names(column)
            name = guesses[0] if guesses else None
            schema = "public" if name else None
    owned = [
        t for t in model.tables if t.column(column) is not None and not (t.schema_name == schema and t.name == name)
    ]
    return Tenancy(column=column, tenant_schema=schema, tenant_table=name, tenant_key=key, owned=owned)
