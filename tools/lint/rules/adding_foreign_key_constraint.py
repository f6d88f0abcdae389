"""Adding a foreign key validates every existing row while both tables are locked against writes."""

from __future__ import annotations

from typing import Any

from ..locks import SHARE_ROW_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import constraints_of, relname, strings
from ._common import alter_cmds, q, rel_sql, render, validate_sequence

__all__ = ["RULE", "check"]

RULE = Rule(
    id="adding-foreign-key-constraint",
    severity="error",
    summary="Foreign key added to an existing table without NOT VALID",
    why="ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE locks on both the table and the referenced table and "
    "checks every existing row before releasing them: writes to both tables wait for the whole scan.",
    fix="Add the constraint with NOT VALID (only new rows are checked, the lock is brief), then run "
    "VALIDATE CONSTRAINT in a separate transaction: it takes SHARE UPDATE EXCLUSIVE on the table and "
    "ROW SHARE on the referenced table, so reads and writes continue.",
    lock=SHARE_ROW_EXCLUSIVE,
    kb="adding-foreign-key-constraint",
    kinds=frozenset({"AlterTableStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    out = []
    for index, (table, cmd) in enumerate(alter_cmds(ctx)):
        subtype = cmd.get("subtype")
        if subtype == "AT_AddConstraint":
            con = cmd.get("def", {}).get("Constraint", {})
            if con.get("contype") != "CONSTR_FOREIGN" or con.get("skip_validation"):
                continue
            cols = strings(con.get("fk_attrs"))
            name = con.get("conname") or f"{table}_{'_'.join(cols)}_fkey"

            def change(node: Any, name: str = name) -> None:
                node.skip_validation = True
                node.initially_valid = False
                node.conname = name

            body = render(ctx, lambda s, i=index: s.cmds[i].def_, change)
            out.append(
                ctx.finding(
                    RULE,
                    f"Foreign key on {ctx.relation_sql} referencing {rel_sql(con.get('pktable'))} is validated "
                    "immediately, blocking writes to both tables during the scan.",
                    location=con.get("location"),
                    safe_sql=validate_sequence(ctx.relation_sql, body, name) if body else None,
                )
            )
        elif subtype == "AT_AddColumn":
            coldef = cmd.get("def", {}).get("ColumnDef", {})
            for con_index, con in enumerate(constraints_of(coldef)):
                if con.get("contype") != "CONSTR_FOREIGN" or con.get("skip_validation"):
                    continue
                column = coldef.get("colname", "")
                name = con.get("conname") or f"{table}_{column}_fkey"
                ref = render(ctx, lambda s, i=index, j=con_index: s.cmds[i].def_.constraints[j])
                ref = ref or f"REFERENCES {rel_sql(con.get('pktable'))}"
                bare = render(ctx, lambda s, i=index: s.cmds[i].def_, _strip_constraints)
                safe = (
                    f"ALTER TABLE {ctx.relation_sql} ADD COLUMN {bare or q(column) + ' <type>'};\n"
                    + validate_sequence(
                        ctx.relation_sql,
                        f"CONSTRAINT {q(name)} FOREIGN KEY ({q(column)}) {ref} NOT VALID",
                        name,
                    )
                )
                out.append(
                    ctx.finding(
                        RULE,
                        f"Column {q(column)} is added with a foreign key to "
                        f"{relname(con.get('pktable'))}, validated at once under locks on both tables.",
                        location=con.get("location"),
                        safe_sql=safe,
                    )
                )
    return out


def _strip_constraints(coldef: Any) -> None:
    coldef.constraints = [c for c in coldef.constraints or () if c.contype.name != "CONSTR_FOREIGN"] or None
