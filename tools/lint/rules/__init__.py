"""The migration lint rules: one module per rule, listed explicitly so the set is reviewable.

Each module exports `RULE` (pgsage.tools.lint.model.Rule: kebab-case id, severity, the lock level it
concerns, its knowledge page, the PostgreSQL versions it applies to) and `check(ctx) -> list[Finding]`.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    adding_check_constraint,
    adding_field_with_default,
    adding_foreign_key_constraint,
    adding_primary_key_constraint,
    adding_required_field,
    ban_alter_domain_with_add_constraint,
    ban_char_field,
    ban_concurrent_index_creation_in_transaction,
    ban_drop_column,
    ban_drop_database,
    ban_drop_table,
    ban_truncate,
    changing_column_type,
    constraint_missing_not_valid,
    disallowed_unique_constraint,
    enum_value_changes,
    prefer_bigint_over_int,
    prefer_identity,
    prefer_robust_stmts,
    prefer_text_field,
    prefer_timestamptz,
    renaming_column,
    renaming_table,
    require_concurrent_index_creation,
    require_concurrent_index_deletion,
    require_concurrent_reindex,
    require_timeout_settings,
    setting_not_nullable_field,
    transaction_nesting,
)

__all__ = ["REGISTRY", "RULES"]

REGISTRY: tuple[ModuleType, ...] = (
    require_concurrent_index_creation,
    require_concurrent_index_deletion,
    require_concurrent_reindex,
    ban_concurrent_index_creation_in_transaction,
    constraint_missing_not_valid,
    adding_foreign_key_constraint,
    adding_check_constraint,
    disallowed_unique_constraint,
    adding_primary_key_constraint,
    adding_field_with_default,
    adding_required_field,
    setting_not_nullable_field,
    changing_column_type,
    renaming_column,
    renaming_table,
    ban_drop_column,
    ban_drop_table,
    ban_drop_database,
    ban_truncate,
    ban_alter_domain_with_add_constraint,
    enum_value_changes,
    require_timeout_settings,
    prefer_robust_stmts,
    transaction_nesting,
    ban_char_field,
    prefer_bigint_over_int,
    prefer_identity,
    prefer_text_field,
    prefer_timestamptz,
)

RULES: dict[str, ModuleType] = {module.RULE.id: module for module in REGISTRY}
