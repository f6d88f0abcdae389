"""A constraint validated in the same transaction that added it NOT VALID (or added without NOT VALID)."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import strings
from ._common import alter_cmds, q, rel_sql

__all__ = ["RULE", "check"]

RULE = Rule(
    id="constraint-missing-not-valid",
    severity="error",
    summary="NOT VALID defeated: VALIDATE in the same transaction, or NOT NULL constraint without NOT VALID",
    why="NOT VALID only helps when validation happens later in its own transaction. VALIDATE CONSTRAINT "
    "in the transaction that added the constraint keeps the ADD's strong lock (ACCESS EXCLUSIVE for a "
    "CHECK, SHARE ROW EXCLUSIVE for a foreign key) for the whole validating scan.",
    fix="Commit after ADD CONSTRAINT ... NOT VALID and run VALIDATE CONSTRAINT in a separate transaction "
    "(a separate migration if the tool wraps each file in one).",
    lock=ACCESS_EXCLUSIVE,
    kb="constraint-missing-not-valid",
)


def check(ctx: Any) -> list[Finding]:
    out = []
    table_sql = rel_sql(ctx.node.get("relation"))
    for table, cmd in alter_cmds(ctx):
        subtype = cmd.get("subtype")
        if subtype == "AT_ValidateConstraint" and ctx.transaction:
            added = ctx.state.not_valid.get((table, cmd.get("name", "")))
            if added and added.transaction == ctx.transaction:
                name = q(cmd.get("name", ""))
                out.append(
                    ctx.finding(
                        RULE,
                        f"Constraint {name} is validated in the same transaction that added it NOT VALID, "
                        "so the ADD's lock is held for the whole scan.",
                        safe_sql=f"COMMIT;\nALTER TABLE {table_sql} VALIDATE CONSTRAINT {name};",
                    )
                )
        elif subtype == "AT_AddConstraint" and ctx.pg_version >= 18:
            con = cmd.get("def", {}).get("Constraint", {})
            if con.get("contype") == "CONSTR_NOTNULL" and not con.get("skip_validation"):
                keys = strings(con.get("keys"))
                name = con.get("conname") or f"{table}_{'_'.join(keys)}_not_null"
                column = ", ".join(q(k) for k in keys)
                out.append(
                    ctx.finding(
                        RULE,
                        f"NOT NULL constraint on {table_sql} ({column}) is validated immediately under an "
                        "ACCESS EXCLUSIVE lock.",
                        location=con.get("location"),
                        safe_sql=(
                            f"ALTER TABLE {table_sql} ADD CONSTRAINT {q(name)} NOT NULL {column} NOT VALID;\n"
                            f"-- then, in a separate transaction:\n"
                            f"ALTER TABLE {table_sql} VALIDATE CONSTRAINT {q(name)};"
                        ),
                    )
                )
    return out
