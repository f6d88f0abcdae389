"""ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table using the domain."""

from __future__ import annotations

from typing import Any

from ..locks import SHARE
from ..model import Finding, Rule
from ..nodes import strings
from ._common import q, render

__all__ = ["RULE", "check"]

RULE = Rule(
    id="ban-alter-domain-with-add-constraint",
    severity="error",
    summary="ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID",
    why="Adding a constraint to a domain checks every value of every column of that domain in every "
    "table, holding a SHARE lock on each table (writes wait) for the whole scan; the tables involved "
    "are not even visible in the migration.",
    fix="Add the domain constraint with NOT VALID, then ALTER DOMAIN ... VALIDATE CONSTRAINT in a "
    "separate transaction; or put a CHECK on each table column with the NOT VALID sequence instead.",
    lock=SHARE,
    kb="ban-alter-domain-with-add-constraint",
    kinds=frozenset({"AlterDomainStmt"}),
)


def check(ctx: Any) -> list[Finding]:
    node = ctx.node
    if ctx.kind != "AlterDomainStmt" or node.get("subtype") != "C":
        return []
    con = node.get("def", {}).get("Constraint", {})
    if con.get("skip_validation"):
        return []
    domain = ".".join(q(p) for p in strings(node.get("typeName")))
    name = con.get("conname") or "<name>"

    def change(c: Any) -> None:
        c.skip_validation = True
        c.initially_valid = False

    body = render(ctx, lambda s: s.def_, change)
    safe = None
    if body:
        safe = (
            f"ALTER DOMAIN {domain} ADD {body};\n-- then, in a separate transaction:\n"
            f"ALTER DOMAIN {domain} VALIDATE CONSTRAINT {q(name) if con.get('conname') else name};"
        )
    return [
        ctx.finding(
            RULE,
            f"Adding a constraint to domain {domain} scans every table column of that type under locks.",
            location=con.get("location"),
            safe_sql=safe,
        )
    ]
