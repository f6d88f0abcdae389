"""Tables without `created_at`/`updated_at` where the schema otherwise uses them.

Only applies when the pattern is the schema's convention: at least two tables, and at least half of
them, have the column. Tables missing it then stand out (audits, incremental syncs and cache
invalidation rely on it).
"""

from __future__ import annotations

from ...schema_model.model import SchemaModel
from ...sqlident import quote_ident
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import table_name

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="missing-timestamps",
    severity="info",
    kb=("naming-conventions", "timestamptz-vs-timestamp"),
    summary="follow the schema's created_at/updated_at convention on every table",
)

COLUMNS = ("created_at", "updated_at")


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    total = len(model.tables)
    for name in COLUMNS:
        having = [t for t in model.tables if t.column(name) is not None]
        if len(having) < 2 or len(having) * 2 < total:
            continue
        types = {t.column(name).type for t in having}  # type: ignore[union-attr]
        col_type = "timestamp with time zone"
        for table in model.tables:
            if table.column(name) is not None:
                continue
            default = " NOT NULL DEFAULT now()" if name == "created_at" else ""
            note = "" if name == "created_at" else "\n-- keep it current with a BEFORE UPDATE trigger or in the app"
            findings.append(
                new_finding(
                    RULE,
                    f"{table.qualified}.{name}",
                    why=(
                        f"{len(having)} of {total} tables have {name}; {table.qualified} does not, so its rows "
                        "cannot be audited or synced incrementally like the others."
                    ),
                    evidence=f"no {name} column; other tables use it ({', '.join(sorted(types))})",
                    # now() is stable, so the default is stored once in the catalog: no table rewrite.
                    fix=f"ALTER TABLE {table_name(table)} ADD COLUMN {quote_ident(name)} {col_type}{default};{note}",
                )
            )
    return findings
