"""What every rule receives besides the model: settings, the workload's usage, and shared helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..schema_model.model import Index, SchemaModel, Table
from .queries import QueryUsage
from .tenancy import Tenancy, find_tenancy

__all__ = ["ReviewContext", "index_leads_with", "usable_indexes"]


@dataclass
class ReviewContext:
    model: SchemaModel
    tenant_column: str = "project_id"
    usage: QueryUsage = field(default_factory=QueryUsage)
    active_rules: frozenset[str] = frozenset()

    @cached_property
    def tenancy(self) -> Tenancy:
        return find_tenancy(self.model, self.tenant_column)

    def is_tenant_owned(self, table: Table) -> bool:
        return any(t is table for t in self.tenancy.owned)


def usable_indexes(table: Table) -> list[Index]:
    """Indexes that serve every row: valid and not partial."""
    return [i for i in table.indexes if i.valid and i.predicate is None]


def index_leads_with(index: Index, columns: list[str]) -> bool:
    """Whether the index's first len(columns) keys are exactly these columns, in any order."""
    lead = index.key_columns[: len(columns)]
    return len(lead) == len(columns) and None not in lead and set(lead) == set(columns)
