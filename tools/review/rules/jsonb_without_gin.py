"""JSONB columns searched by containment or key existence without a GIN index that serves the operator.

`jsonb_ops` (the default GIN operator class) serves `@>`, `?`, `?|`, `?&`, `@?` and `@@`;
`jsonb_path_ops` is smaller and faster but serves only `@>`, `@?` and `@@`. A B-tree or an expression
index on `col->'key'` does not help these operators on the column. The schema cannot show how a column is
queried: with `queries`, columns used with these operators and no matching GIN index are warnings; with
no queries, every jsonb column without any GIN index is reported as info.
"""

from __future__ import annotations

from ...schema_model.model import SchemaModel, Table
from ...sqlident import quote_ident
from ..citations import new_finding
from ..context import ReviewContext
from ..finding import Finding, RuleInfo
from ..fixes import create_index

__all__ = ["RULE", "check"]

RULE = RuleInfo(
    id="jsonb-without-gin",
    severity="warning",
    kb=("jsonb-gin-operator-classes",),
    summary="jsonb columns queried with @>, ?, @? ... need a GIN index with a suitable operator class",
)

PATH_OPS = frozenset({"@>", "@?", "@@"})


def _gin_opclasses(table: Table, column: str) -> list[str]:
    """Operator classes of the valid, non-partial GIN indexes whose first key is the column."""
    found: list[str] = []
    for index in table.indexes:
        if index.method == "gin" and index.valid and index.predicate is None:
            for key in index.keys:
                if key.column == column:
                    found.append(key.opclass or "jsonb_ops")
    return found


def check(model: SchemaModel, ctx: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    for table in model.tables:
        for column in table.columns:
            if column.type != "jsonb":
                continue
            opclasses = _gin_opclasses(table, column.name)
            obj = f"{table.qualified}.{column.name}"
            col = quote_ident(column.name)
            if ctx.usage.given:
                ops = ctx.usage.jsonb.get((table.schema_name, table.name, column.name))
                if not ops:
                    continue
                served = {op for op in ops if "jsonb_ops" in opclasses}
                if "jsonb_path_ops" in opclasses:
                    served |= ops & PATH_OPS
                missing = sorted(ops - served)
                if not missing:
                    continue
                opclass = "jsonb_path_ops" if set(ops) <= PATH_OPS else "jsonb_ops"
                keys = f"{col} {opclass}" if opclass != "jsonb_ops" else col
                have = ", ".join(opclasses) or "none"
                findings.append(
                    new_finding(
                        RULE,
                        obj,
                        why=(
                            f"The workload filters {obj} with {', '.join(missing)}, which only a GIN index "
                            f"can serve; every such query reads the whole table. {opclass} serves "
                            + (
                                "@>, @? and @@ with a smaller index."
                                if opclass == "jsonb_path_ops"
                                else "the key-existence operators too (jsonb_path_ops does not)."
                            )
                        ),
                        evidence=f"operators used: {', '.join(sorted(ops))}; GIN operator classes on it: {have}",
                        fix=create_index(table, keys, [column.name], method="gin"),
                    )
                )
            elif not opclasses:
                findings.append(
                    new_finding(
                        RULE,
                        obj,
                        severity="info",
                        why=(
                            "If this column is searched with @> (containment) or ? (key exists), those "
                            "queries scan the whole table: add a GIN index (jsonb_path_ops when only "
                            "@>/@?/@@ are used). Pass the queries to know for sure."
                        ),
                        evidence="jsonb column with no GIN index; no queries given",
                        fix=create_index(table, f"{col} jsonb_path_ops", [column.name], method="gin"),
                    )
                )
    return findings
