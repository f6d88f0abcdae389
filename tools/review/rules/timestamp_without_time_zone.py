"""`timestamp without time zone` columns.

A `timestamp` stores a wall-clock reading with no zone: the same value means different instants to
clients in different time zones, and arithmetic across DST changes is wrong. `timestamptz` stores an
instant (UTC internally) and converts on display.
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
    id="timestamp-without-time-zone",
    severity="warning",
    kb=("timestamptz-vs-timestamp", "prefer-timestamptz"),
    summary="use timestamptz, not timestamp without time zone",
)


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for table in model.tables:
        for column in table.columns:
            if not column.base_type.startswith("timestamp") or "without time zone" not in column.base_type:
                continue
            new_type = column.type.replace("without time zone", "with time zone")
            findings.append(
                new_finding(
                    RULE,
                    f"{table.qualified}.{column.name}",
                    why=(
                        "timestamp without time zone stores a wall-clock reading, not an instant: values "
                        "written from sessions in different time zones cannot be compared. The fix assumes "
                        "the stored values are UTC; with the session time zone set to UTC, PostgreSQL 12+ "
                        "changes the type without rewriting the table (indexes on it are still rebuilt)."
                    ),
                    evidence=f"column type {column.type}",
                    fix=(
                        f"BEGIN;\nSET LOCAL timezone = 'UTC';\n{LOCK_TIMEOUT.replace('SET', 'SET LOCAL')}\n"
                        f"ALTER TABLE {table_name(table)} ALTER COLUMN {quote_ident(column.name)} TYPE {new_type};\n"
                        "COMMIT;"
                    ),
                )
            )
    return findings
