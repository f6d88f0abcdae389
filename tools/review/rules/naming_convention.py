"""Names that must be quoted forever, and index names that break the schema's own convention.

Tables, columns and indexes should be lowercase snake_case and not reserved words: anything else has to
be double-quoted in every query (`"userId"`, `"order"`). Index names are compared with the convention
the schema already follows (an `idx_` prefix or PostgreSQL's `_idx` suffix) when at least three
indexes and two thirds of them agree; indexes created by constraints are left out. Singular versus
plural table names is not judged: both are common (the seed prompts themselves disagree).
"""

from __future__ import annotations

import re
from collections import Counter

from ...schema_model.model import SchemaModel
from ...sqlident import quote_ident
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo

__all__ = ["RULE", "check", "index_style"]

RULE = RuleInfo(
    id="naming-convention",
    severity="info",
    kb=("naming-conventions",),
    summary="snake_case names that need no quoting; consistent index names",
)

_SNAKE = re.compile(r"^[a-z_][a-z0-9_]*$")


def index_style(name: str) -> str:
    if name.startswith(("idx_", "ix_")):
        return "prefix"
    if re.search(r"_idx\d*$", name):
        return "suffix"
    return "other"


def _bad_name(name: str) -> str | None:
    if not _SNAKE.match(name):
        return "is not lowercase snake_case"
    if quote_ident(name) != name:
        return "is a reserved word"
    return None


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []

    def report(obj: str, name: str, problem: str, fix: str | None) -> None:
        findings.append(
            new_finding(
                RULE,
                obj,
                why=f"The name {name!r} {problem}; every query must quote it as {quote_ident(name)}.",
                evidence=f"name {quote_ident(name)}",
                fix=fix,
            )
        )

    plain_indexes = []
    for table in model.tables:
        problem = _bad_name(table.name)
        if problem:
            report(table.qualified, table.name, problem, None)
        for column in table.columns:
            problem = _bad_name(column.name)
            if problem:
                report(f"{table.qualified}.{column.name}", column.name, problem, None)
        for index in table.indexes:
            if index.constraint:
                continue
            plain_indexes.append((table, index))
            problem = _bad_name(index.name)
            if problem:
                report(f"{table.schema_name}.{index.name}", index.name, problem, None)
    styles = Counter(index_style(index.name) for _, index in plain_indexes)
    if len(plain_indexes) >= 3:
        style, count = styles.most_common(1)[0]
        if style != "other" and count * 3 >= len(plain_indexes) * 2:
            wanted = "idx_<table>_<columns>" if style == "prefix" else "<table>_<columns>_idx"
            for table, index in plain_indexes:
                if index_style(index.name) == style:
                    continue
                cols = "_".join(k.column or "expr" for k in index.keys)
                new = f"idx_{table.name}_{cols}" if style == "prefix" else f"{table.name}_{cols}_idx"
                findings.append(
                    new_finding(
                        RULE,
                        f"{table.schema_name}.{index.name}",
                        why=(
                            f"{count} of {len(plain_indexes)} indexes are named {wanted}; {index.name} is not, "
                            "which makes indexes harder to find and review."
                        ),
                        evidence=f"index {index.name} on {table.qualified}",
                        fix=(
                            f"ALTER INDEX {quote_ident(table.schema_name)}.{quote_ident(index.name)} "
                            f"RENAME TO {quote_ident(new[:63])};"
                        ),
                    )
                )
    return findings
