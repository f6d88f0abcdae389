"""A constraint validated in the same transaction that added it NOT VALID (or added without NOT VALID)."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE, SHARE_ROW_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import strings
from ._common import alter_cmds, q

__all__ = ["RULE", "check"]

RULE = Rule(
    id="constraint-missing-not-valid",
    severity="error",
    summary="Constraint validated under the ADD's lock: VALIDATE in the same transaction, NOT NULL (PG 18) "
    "without NOT VALID, or CHECK/FOREIGN KEY without NOT VALID when their specific rules are excluded",
    why="NOT VALID only helps when validation happens later in its own transaction. VALIDATE CONSTRAINT "
    "in the transaction that added the constraint keeps the ADD's strong lock (ACCESS EXCLUSIVE for a "
    "CHECK, SHARE ROW EXCLUSIVE for a foreign key) for the whole validating scan.",
    fix="Commit after ADD CONSTRAINT ... NOT VALID and run VALIDATE CONSTRAINT in a separate transaction "
    "(a separate migration if the tool wraps each file in one).",
    lock=ACCESS_EXCLUSIVE,
    kb="constraint-missing-not-valid",
    kinds=frozenset({"AlterTableStmt"}),
    changed_in=(18,),
)


# Reported by these rules when they run; this rule reports them itself only when they are excluded.
_SPECIFIC = {"CONSTR_CHECK": "adding-check-constraint", "CONSTR_FOREIGN": "adding-foreign-key-constraint"}


def check(ctx: Any) -> list[Finding]:
    out = []
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
                        safe_sql=f"COMMIT;\nALTER TABLE {ctx.relation_sql} VALIDATE CONSTRAINT {name};",
                    )
                )
        elif subtype == "AT_AddConstraint":
            con = cmd.get("def", {}).get("Constraint", {})
            specific = _SPECIFIC.get(con.get("contype", ""))
            if specific and specific not in ctx.active_rules and not con.get("skip_validation"):
                kind = "CHECK" if con["contype"] == "CONSTR_CHECK" else "FOREIGN KEY"
                lock = ACCESS_EXCLUSIVE if kind == "CHECK" else SHARE_ROW_EXCLUSIVE
                out.append(
                    ctx.finding(
                        RULE,
                        f"{kind} constraint on {ctx.relation_sql} is added without NOT VALID, so every row is "
                        "checked while the lock is held.",
                        location=con.get("location"),
                        lock=lock,
                        fix="Add it with NOT VALID, then VALIDATE CONSTRAINT in a separate transaction.",
                    )
                )
            elif ctx.pg_version >= 18 and con.get("contype") == "CONSTR_NOTNULL" and not con.get("skip_validation"):
                keys = strings(con.get("keys"))
                name = con.get("conname") or f"{table}_{'_'.join(keys)}_not_null"
                column = ", ".join(q(k) for k in keys)
                out.append(
                    ctx.finding(
                        RULE,
                        f"NOT NULL constraint on {ctx.relation_sql} ({column}) is validated immediately under an "
                        "ACCESS EXCLUSIVE lock.",
                        location=con.get("location"),
                        safe_sql=(
                            f"ALTER TABLE {ctx.relation_sql} ADD CONSTRAINT {q(name)} NOT NULL {column} NOT VALID;\n"
                            f"-- then, in a separate transaction:\n"
                            f"ALTER TABLE {ctx.relation_sql} VALIDATE CONSTRAINT {q(name)};"
                        ),
                    )
                )
    return out
