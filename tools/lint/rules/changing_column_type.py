"""ALTER COLUMN TYPE rewrites the table and its indexes unless the change is binary coercible."""

from __future__ import annotations

from typing import Any

from ..locks import ACCESS_EXCLUSIVE
from ..model import Finding, Rule
from ..nodes import Node, type_name, type_sql, typmods
from ._common import alter_cmds, q

__all__ = ["RULE", "check", "rewrite_needed"]

RULE = Rule(
    id="changing-column-type",
    severity="error",
    summary="ALTER COLUMN TYPE that rewrites the table",
    why="Changing a column's type rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE "
    "lock, blocking all reads and writes for the duration; running code may also break on the new type. "
    "Binary-coercible changes skip the rewrite: varchar(n) to varchar(m>n), varchar or text; text to "
    "varchar; numeric(p,s) to numeric(q>p,s) or numeric; varbit(n) to larger; cidr to inet.",
    fix="Add a new column of the new type, keep it in sync with a trigger, backfill in batches, switch the "
    "application over, then drop the old column (or rename both in one short transaction).",
    lock=ACCESS_EXCLUSIVE,
    kb="changing-column-type",
    kinds=frozenset({"AlterTableStmt"}),
)

_TEXTLIKE = {"text", "varchar"}


def _limit(mods: list[int | None]) -> int | None:
    return mods[0] if mods else None


def rewrite_needed(old: Node | None, new: Node) -> bool | None:
    """False when the change is binary coercible, True when it rewrites, None when the old type is unknown."""
    new_name, new_mods = type_name(new), typmods(new)
    if old is None:
        return None if new_name in _TEXTLIKE | {"numeric", "varbit", "inet"} else True
    old_name, old_mods = type_name(old), typmods(old)
    if (old_name, old_mods) == (new_name, new_mods):
        return False
    if old_name in _TEXTLIKE and new_name in _TEXTLIKE:
        new_limit, old_limit = _limit(new_mods), _limit(old_mods)
        # Growing or removing the limit is free; a smaller (or new) limit must check rows (we call it a rewrite).
        return not (new_limit is None or (old_limit is not None and new_limit >= old_limit))
    if old_name == new_name == "numeric":
        if not new_mods:
            return False
        if len(old_mods) >= 1 and len(new_mods) >= 1:
            old_scale = old_mods[1] if len(old_mods) > 1 else 0
            new_scale = new_mods[1] if len(new_mods) > 1 else 0
            return not (new_scale == old_scale and (new_mods[0] or 0) >= (old_mods[0] or 0))
        return True
    if old_name == new_name == "varbit":
        return not (not new_mods or (old_mods and (new_mods[0] or 0) >= (old_mods[0] or 0)))
    return not (old_name == "cidr" and new_name == "inet")


def check(ctx: Any) -> list[Finding]:
    out = []
    for table, cmd in alter_cmds(ctx):
        if cmd.get("subtype") != "AT_AlterColumnType":
            continue
        coldef = cmd.get("def", {}).get("ColumnDef", {})
        new = coldef.get("typeName", {})
        column = cmd.get("name", "")
        old = ctx.state.schema.column_types.get((table, column))
        verdict = True if coldef.get("raw_default") else rewrite_needed(old, new)
        if verdict is False:
            continue
        target = type_sql(new)
        if verdict is None:
            message = (
                f"Changing {ctx.relation_sql}.{q(column)} to {target} rewrites the table unless the current type is "
                "binary coercible to it (e.g. a shorter varchar or text); the old type is not in the linted "
                "files."
            )
        else:
            source = f" from {type_sql(old)}" if old else ""
            using = " (USING forces a rewrite)" if coldef.get("raw_default") else ""
            message = f"Changing {ctx.relation_sql}.{q(column)}{source} to {target} rewrites the table{using}."
        new_col = q(f"{column}_new")
        safe = (
            f"ALTER TABLE {ctx.relation_sql} ADD COLUMN {new_col} {target};\n"
            f"-- a trigger copies {q(column)} into {new_col} on INSERT/UPDATE; backfill old rows in batches:\n"
            f"UPDATE {ctx.relation_sql} SET {new_col} = {q(column)}::{target} WHERE <key> IN "
            f"(SELECT <key> FROM {ctx.relation_sql} WHERE {new_col} IS NULL LIMIT 10000);\n"
            f"-- after the application reads {new_col}, swap in one short transaction:\n"
            f"ALTER TABLE {ctx.relation_sql} RENAME COLUMN {q(column)} TO {q(column + '_old')};\n"
            f"ALTER TABLE {ctx.relation_sql} RENAME COLUMN {new_col} TO {q(column)};"
        )
        out.append(ctx.finding(RULE, message, location=new.get("location"), safe_sql=safe))
    return out
