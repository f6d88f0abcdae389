"""`describe_object`: everything an agent needs about one table, view, sequence, routine or type.

Name resolution binds every candidate (schema, name) pair as parameters; the text is compared, never
parsed by the server as SQL. A relation costs a fixed eight queries whatever the size of the catalog.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import Field

from ..database import Database
from ..errors import InvalidInput, NotFound
from ..plumbing import CompactModel, clip, load_sql, read_only, shrink_lists
from .names import split_qualified

__all__ = [
    "Column",
    "Constraint",
    "Index",
    "ObjectDescription",
    "Partition",
    "Policy",
    "Routine",
    "SequenceInfo",
    "TableStats",
    "Trigger",
    "TypeInfo",
    "describe_object",
]

_PKG = "pgsage.tools.catalog"
_TEXT_CHARS = 4000
_SOURCE_CHARS = 4000
_RELKINDS = {
    "r": "table",
    "p": "partitioned_table",
    "v": "view",
    "m": "materialized_view",
    "S": "sequence",
    "f": "foreign_table",
    "c": "composite_type",
    "i": "index",
    "I": "partitioned_index",
}
_FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_CONTYPES = {"p": "primary_key", "u": "unique", "f": "foreign_key", "c": "check", "x": "exclusion"}


class Column(CompactModel):
    name: str
    type: str
    not_null: bool
    default: str | None = None
    identity: str | None = None
    generated: str | None = None
    collation: str | None = None
    comment: str | None = None
    null_frac: float | None = None
    n_distinct: float | None = None
    avg_width: int | None = None


class Constraint(CompactModel):
    name: str
    type: str
    definition: str
    columns: list[str] = Field(default_factory=list)
    validated: bool | None = None
    deferrable: bool | None = None
    references: str | None = None
    on_delete: str | None = None
    on_update: str | None = None


class ForeignKeyIn(CompactModel):
    name: str
    from_table: str
    columns: list[str] = Field(default_factory=list)
    definition: str
    on_delete: str | None = None


class Index(CompactModel):
    name: str
    definition: str
    method: str
    bytes: int
    scans: int | None = None
    primary: bool | None = None
    unique: bool | None = None
    valid: bool
    constraint: str | None = None


class Trigger(CompactModel):
    name: str
    definition: str
    enabled: str


class Policy(CompactModel):
    name: str
    command: str
    permissive: bool
    roles: list[str]
    using: str | None = None
    with_check: str | None = None


class Partition(CompactModel):
    name: str
    bound: str | None = None
    partitioned: bool | None = None
    row_estimate: int | None = None
    bytes: int | None = None


class TableStats(CompactModel):
    n_live_tup: int | None = None
    n_dead_tup: int | None = None
    n_mod_since_analyze: int | None = None
    seq_scan: int | None = None
    seq_tup_read: int | None = None
    idx_scan: int | None = None
    idx_tup_fetch: int | None = None
    n_tup_ins: int | None = None
    n_tup_upd: int | None = None
    n_tup_del: int | None = None
    n_tup_hot_upd: int | None = None
    last_vacuum: datetime | None = None
    last_autovacuum: datetime | None = None
    last_analyze: datetime | None = None
    last_autoanalyze: datetime | None = None
    vacuum_count: int | None = None
    autovacuum_count: int | None = None
    analyze_count: int | None = None
    autoanalyze_count: int | None = None
    xid_age: int | None = None


class SequenceInfo(CompactModel):
    data_type: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int
    cycle: bool
    last_value: int | None = None
    owned_by: str | None = None


class Routine(CompactModel):
    name: str
    kind: str
    arguments: str
    returns: str | None = None
    language: str
    volatility: str
    security_definer: bool
    strict: bool
    parallel: str
    config: list[str] = Field(default_factory=list)
    owner: str
    comment: str | None = None
    source: str | None = None


class TypeInfo(CompactModel):
    labels: list[str] = Field(default_factory=list)
    base_type: str | None = None
    not_null: bool | None = None
    default: str | None = None
    constraints: list[str] = Field(default_factory=list)
    range_subtype: str | None = None
    attributes: list[str] = Field(default_factory=list)


class ObjectDescription(CompactModel):
    schema: str
    name: str
    kind: str
    owner: str | None = None
    comment: str | None = None
    persistence: str | None = None
    row_estimate: int | None = None
    table_bytes: int | None = None
    indexes_bytes: int | None = None
    total_bytes: int | None = None
    options: list[str] = Field(default_factory=list)
    definition: str | None = None
    columns: list[Column] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    referenced_by: list[ForeignKeyIn] = Field(default_factory=list)
    indexes: list[Index] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    rls_enabled: bool | None = None
    rls_forced: bool | None = None
    policies: list[Policy] = Field(default_factory=list)
    partition_key: str | None = None
    parent: str | None = None
    partition_bound: str | None = None
    partitions: list[Partition] = Field(default_factory=list)
    partitions_total: int | None = None
    stats: TableStats | None = None
    sequence: SequenceInfo | None = None
    routines: list[Routine] = Field(default_factory=list)
    type: TypeInfo | None = None
    index_table: str | None = None
    notes: list[str] = Field(default_factory=list)
    truncated: bool = False


def _candidates(name: str, schema: str | None) -> tuple[list[str | None], list[str]]:
    """(schemas, names) to try in order: the literal text first, then its reading as an identifier."""
    pairs: list[tuple[str | None, str]] = [(schema, name)]
    parts = split_qualified(name)
    if parts is not None:
        if len(parts) == 1:
            pairs.append((schema, parts[0]))
        elif len(parts) == 2 and (schema is None or schema == parts[0]):
            pairs.append((parts[0], parts[1]))
        elif len(parts) == 3 and schema is None:
            # database.schema.name: the database part can only be the current one; ignore it.
            pairs.append((parts[1], parts[2]))
    pairs.append((schema, name.lower()))
    seen: list[tuple[str | None, str]] = []
    for pair in pairs:
        if pair not in seen:
            seen.append(pair)
    return [s for s, _ in seen], [n for _, n in seen]


def _pick(rows: list[asyncpg.Record], name: str) -> asyncpg.Record | None:
    """The best match of the first candidate that matched; ambiguity across schemas is an error."""
    if not rows:
        return None
    first = [r for r in rows if r["ord"] == rows[0]["ord"]]
    # Relations win over types, types over routines, as in FROM clauses and casts.
    rank = {"relation": 0, "type": 1, "routine": 2}
    first.sort(key=lambda r: (not r["visible"], r["system"], rank[r["class"]]))
    best = first[0]
    rivals = [
        r
        for r in first
        if r["visible"] == best["visible"] and r["system"] == best["system"] and r["schema"] != best["schema"]
    ]
    if rivals and not best["visible"]:
        options = ", ".join(sorted({f"{r['schema']}.{r['name']}" for r in first}))
        raise InvalidInput(f"{name!r} exists in several schemas ({options}); pass schema= to choose one.")
    return best


async def _close_matches(conn: asyncpg.Connection, name: str) -> list[str]:
    base = name.rsplit(".", 1)[-1].strip('"') or name
    rows = await conn.fetch(load_sql(_PKG, "close_matches"), base)
    labels = {f"{r['schema']}.{r['name']}": r["name"] for r in rows}
    scored = sorted(
        labels,
        key=lambda label: -difflib.SequenceMatcher(None, base.lower(), labels[label].lower()).ratio(),
    )
    return scored[:5]


async def _describe_relation(conn: asyncpg.Connection, oid: int, cap: int) -> ObjectDescription:
    head = await conn.fetchrow(load_sql(_PKG, "relation"), oid)
    kind = _RELKINDS.get(head["relkind"], head["relkind"])
    stats_fields = TableStats.model_fields
    stats = TableStats(**{k: head[k] for k in stats_fields})
    has_stats = head["relkind"] in ("r", "m", "p") and any(v is not None for v in stats.model_dump().values())
    desc = ObjectDescription(
        schema=head["schema"],
        name=head["name"],
        kind=kind,
        owner=head["owner"],
        comment=clip(head["comment"], _TEXT_CHARS),
        persistence={"u": "unlogged", "t": "temporary"}.get(head["persistence"]),
        row_estimate=head["row_estimate"],
        table_bytes=head["table_bytes"],
        indexes_bytes=head["indexes_bytes"],
        total_bytes=head["total_bytes"],
        options=list(head["options"] or []),
        definition=clip(head["definition"] or head["index_definition"], _TEXT_CHARS),
        index_table=head["index_table"],
        rls_enabled=head["rls_enabled"] if head["relkind"] in ("r", "p") else None,
        rls_forced=head["rls_forced"] if head["relkind"] in ("r", "p") else None,
        partition_key=head["partition_key"],
        parent=head["parent"],
        partition_bound=head["partition_bound"],
        stats=stats if has_stats else None,
    )
    truncated = False
    relkind = head["relkind"]
    if relkind in ("i", "I"):
        return desc
    if relkind == "S":
        seq = await conn.fetchrow(load_sql(_PKG, "sequence"), oid)
        if seq is not None:
            desc.sequence = SequenceInfo(**dict(seq))
        return desc
    cols = await conn.fetch(load_sql(_PKG, "columns"), oid, cap + 1)
    truncated |= len(cols) > cap
    desc.columns = [Column(**{**dict(r), "comment": clip(r["comment"], 500)}) for r in cols[:cap]]
    if relkind in ("v", "m"):
        if relkind == "m":
            desc.indexes, more = await _indexes(conn, oid, cap)
            truncated |= more
        desc.truncated = truncated
        return desc
    cons = await conn.fetch(load_sql(_PKG, "constraints"), oid, cap + 1)
    truncated |= len(cons) > cap
    for r in cons[:cap]:
        if r["direction"] == "out":
            fk = r["type"] == "f"
            desc.constraints.append(
                Constraint(
                    name=r["name"],
                    type=_CONTYPES[r["type"]],
                    definition=clip(r["definition"], _TEXT_CHARS) or "",
                    columns=list(r["columns"] or []),
                    validated=None if r["validated"] else False,
                    deferrable=True if r["deferrable"] else None,
                    references=r["other_table"] if fk else None,
                    on_delete=_FK_ACTIONS.get(r["on_delete"]) if fk else None,
                    on_update=_FK_ACTIONS.get(r["on_update"]) if fk and r["on_update"] != "a" else None,
                )
            )
        else:
            desc.referenced_by.append(
                ForeignKeyIn(
                    name=r["name"],
                    from_table=r["other_table"],
                    columns=list(r["columns"] or []),
                    definition=r["definition"],
                    on_delete=_FK_ACTIONS.get(r["on_delete"]),
                )
            )
    desc.indexes, more = await _indexes(conn, oid, cap)
    truncated |= more
    trig = await conn.fetch(load_sql(_PKG, "triggers"), oid, cap + 1)
    truncated |= len(trig) > cap
    desc.triggers = [Trigger(**{**dict(r), "definition": clip(r["definition"], _TEXT_CHARS)}) for r in trig[:cap]]
    pol = await conn.fetch(load_sql(_PKG, "policies"), oid, cap + 1)
    truncated |= len(pol) > cap
    desc.policies = [Policy(**dict(r)) for r in pol[:cap]]
    parts = await conn.fetch(load_sql(_PKG, "partitions"), oid, cap)
    if parts:
        desc.partitions_total = parts[0]["total"]
        truncated |= parts[0]["total"] > len(parts)
        desc.partitions = [Partition(**{k: v for k, v in dict(r).items() if k != "total"}) for r in parts]
    if desc.rls_enabled and not desc.policies:
        desc.notes.append("RLS is enabled with no policies: only the owner (unless forced) sees rows.")
    desc.truncated = truncated
    return desc


async def _indexes(conn: asyncpg.Connection, oid: int, cap: int) -> tuple[list[Index], bool]:
    rows = await conn.fetch(load_sql(_PKG, "indexes"), oid, cap + 1)
    return [
        Index(
            **{
                **dict(r),
                "primary": r["primary"] or None,
                "unique": r["unique"] or None,
                "definition": clip(r["definition"], _TEXT_CHARS),
            }
        )
        for r in rows[:cap]
    ], len(rows) > cap


async def _describe_type(conn: asyncpg.Connection, oid: int) -> ObjectDescription:
    r = await conn.fetchrow(load_sql(_PKG, "type"), oid)
    info = TypeInfo(
        labels=list(r["labels"]),
        base_type=r["base_type"],
        not_null=r["not_null"] or None,
        default=r["default"],
        constraints=list(r["constraints"]),
        range_subtype=r["range_subtype"],
        attributes=list(r["attributes"]),
    )
    return ObjectDescription(
        schema=r["schema"],
        name=r["name"],
        kind=f"{r['kind']}_type" if r["kind"] != "base" else "type",
        owner=r["owner"],
        comment=clip(r["comment"], _TEXT_CHARS),
        type=info,
    )


async def _describe_routines(conn: asyncpg.Connection, schema: str, name: str, cap: int) -> ObjectDescription:
    rows = await conn.fetch(load_sql(_PKG, "routines"), schema, name, _SOURCE_CHARS, cap + 1)
    routines: list[Routine] = []
    for r in rows[:cap]:
        data: dict[str, Any] = {k: v for k, v in dict(r).items() if k != "source_chars"}
        data["config"] = list(data["config"] or [])
        if r["source_chars"] and r["source_chars"] > _SOURCE_CHARS:
            data["source"] = clip(r["source"] + "…", _SOURCE_CHARS)
        routines.append(Routine(**data))
    kind = routines[0].kind if len({x.kind for x in routines}) == 1 else "routine"
    return ObjectDescription(schema=schema, name=name, kind=kind, routines=routines, truncated=len(rows) > cap)


async def describe_object(
    db: Database, name: str, schema: str | None = None, max_items: int = 200, max_bytes: int = 64_000
) -> ObjectDescription:
    """Describe `name` (optionally schema-qualified or quoted); NotFound lists close matches."""
    if not name or not name.strip():
        raise InvalidInput("name must not be empty.")
    if len(name) > 1000 or (schema is not None and len(schema) > 1000):
        raise InvalidInput("name is too long to be a PostgreSQL identifier.")
    if "\x00" in name or (schema and "\x00" in schema):
        raise InvalidInput("names cannot contain NUL characters.")
    schemas, names = _candidates(name, schema)

    async def work(conn: asyncpg.Connection) -> ObjectDescription:
        rows = await conn.fetch(load_sql(_PKG, "resolve"), schemas, names)
        best = _pick(rows, name)
        if best is None:
            matches = await _close_matches(conn, name)
            where = f" in schema {schema!r}" if schema else ""
            hint = f" Close matches: {', '.join(matches)}." if matches else " list_objects shows what exists."
            raise NotFound(f"No table, view, sequence, routine or type named {name!r}{where}.{hint}")
        if best["class"] == "routine":
            return await _describe_routines(conn, best["schema"], best["name"], max_items)
        if best["class"] == "type":
            return await _describe_type(conn, best["oid"])
        if best["relkind"] == "c":
            type_oid = await conn.fetchval("SELECT reltype FROM pg_class WHERE oid = $1", best["oid"])
            return await _describe_type(conn, type_oid)
        return await _describe_relation(conn, best["oid"], max_items)

    desc = await read_only(db, work)
    lists = ("columns", "constraints", "referenced_by", "indexes", "triggers", "policies", "partitions", "routines")
    if shrink_lists(desc, lists, max_bytes):
        desc.truncated = True
    return desc
