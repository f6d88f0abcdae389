"""The review rules, one per module, each exporting `RULE` (RuleInfo) and `check(model, ctx)`.

REGISTRY is explicit so the order of the report is stable and a new module is not picked up by accident;
tests/tools/review/test_registry.py checks it matches the modules on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from ...schema_model.model import SchemaModel
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from . import (
    duplicate_index,
    fk_without_index,
    jsonb_without_gin,
    missing_timestamps,
    naming_convention,
    prefer_identity_bigint,
    prefer_text,
    redundant_index,
    table_without_primary_key,
    tenant_column_not_null,
    tenant_foreign_key,
    tenant_index,
    tenant_rls,
    timestamp_without_time_zone,
    vector_opclass_mismatch,
    vector_without_index,
)

__all__ = ["MODULES", "REGISTRY", "Check"]

Check = Callable[[SchemaModel, ReviewContext], list[Finding]]

MODULES: tuple[ModuleType, ...] = (
    tenant_column_not_null,
    tenant_foreign_key,
    tenant_index,
    tenant_rls,
    fk_without_index,
    jsonb_without_gin,
    vector_without_index,
    vector_opclass_mismatch,
    table_without_primary_key,
    prefer_identity_bigint,
    timestamp_without_time_zone,
    prefer_text,
    duplicate_index,
    redundant_index,
    naming_convention,
    missing_timestamps,
)

REGISTRY: dict[str, tuple[RuleInfo, Check]] = {module.RULE.id: (module.RULE, module.check) for module in MODULES}
