"""`varchar(n)` and `char(n)` columns where `text` fits.

In PostgreSQL `text`, `varchar` and `varchar(n)` are stored the same way and perform the same; `n` only
adds a check that is painful to change, and `char(n)` pads with spaces that comparisons then ignore.
When the limit is a real business rule, `text` with a CHECK (char_length(col) <= n) says so and can be
changed without touching the column type.
"""

from __future__ import annotations

import re

from ...schema_model.model import SchemaModel
from ...sqlident import quote_ident
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import LOCK_TIMEOUT, table_name

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="prefer-text",
    severity="info",
    kb=("text-vs-varchar", "prefer-text-field"),
    summary="use text (with a CHECK if the length matters) instead of varchar(n)/char(n)",
)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for table in model.tables:
        for column in table.columns:
            base = column.base_type
            match = re.search(r"\((\d+)\)", column.type)
            if base not in ("character varying", "character") or not match or column.is_array:
                continue
            length = int(match.group(1))
            name, col = table_name(table), quote_ident(column.name)
            check_name = quote_ident(f"{table.name}_{column.name}_length_check"[:63])
            rewrite = base == "character"
            findings.append(
                new_finding(
                    RULE,
                    f"{table.qualified}.{column.name}",
                    why=(
                        f"{column.type} is stored like text; the length limit is a hidden CHECK that needs an "
                        "ALTER TYPE to change. "
                        + (
                            "char(n) also pads values with spaces. Converting it rewrites the table."
                            if rewrite
                            else "varchar -> text needs no table rewrite."
                        )
                    ),
                    evidence=f"column type {column.type}",
                    fix=(
                        f"{LOCK_TIMEOUT}\n"
                        f"ALTER TABLE {name} ALTER COLUMN {col} TYPE text;\n"
                        f"-- only if {length} characters is a real rule:\n"
                        f"ALTER TABLE {name} ADD CONSTRAINT {check_name} CHECK (char_length({col}) <= {length}) "
                        f"NOT VALID;\nALTER TABLE {name} VALIDATE CONSTRAINT {check_name};"
                    ),
                )
            )
    return findings
