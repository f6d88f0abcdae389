"""Build the schema model from a live database: one catalog query per concern, for all tables at once.

Queries live in `sql/*.sql` (bind parameters only). Whatever the number of tables, loading takes at most
six round trips: schemas (when none are named), tables, columns, constraints, indexes, policies.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import asyncpg

from ..database import Database
from ..errors import InvalidInput, NotFound
from .expressions import columns_in_text
from .model import Column, Constraint, FkAction, Index, IndexKey, Policy, SchemaModel, Table

__all__ = ["load_model_from_connection", "load_model_from_db"]

_KINDS = {"p": "primary_key", "u": "unique", "c": "check", "f": "foreign_key", "x": "exclusion"}
_ACTIONS: dict[str, FkAction] = {
    "a": "no action",
    "r": "restrict",
    "c": "cascade",
    "n": "set null",
    "d": "set default",
}


@cache
def _sql(name: str) -> str:
    return resources.files(__package__).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def _clean_names(values: Sequence[str] | str | None, what: str) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    names = [v.strip() for v in values if v and v.strip()]
    if not names:
        raise InvalidInput(f"{what} must name at least one {what[:-1]} (or be omitted)")
    return names


async def load_model_from_connection(
    conn: asyncpg.Connection,
    schemas: Sequence[str] | str | None = None,
    tables: Sequence[str] | None = None,
) -> SchemaModel:
    """The model of `tables` (all when None) in `schemas` (all user schemas when None)."""
    schema_list = _clean_names(schemas, "schemas")
    table_list = _clean_names(tables, "tables")
    if table_list:
        # "schema.table" names the schema too; plain names use the chosen schemas.
        for name in table_list:
            if "." in name:
                schema_list = sorted({*(schema_list or []), name.split(".", 1)[0]})
        table_list = [name.split(".", 1)[-1] for name in table_list]
    if schema_list is None:
        schema_list = [row["name"] for row in await conn.fetch(_sql("schemas"))]
    table_rows = await conn.fetch(_sql("tables"), schema_list, table_list)
    if table_list:
        missing = sorted(set(table_list) - {row["name"] for row in table_rows})
        if missing:
            raise NotFound(
                f"no table named {', '.join(missing)} in schema(s) {', '.join(schema_list)}; "
                "list tables with the catalog tools or check the spelling"
            )
    by_oid: dict[int, Table] = {}
    for row in table_rows:
        by_oid[row["oid"]] = Table(
            schema=row["schema"],
            name=row["name"],
            partitioned=row["partitioned"],
            rls_enabled=row["rls_enabled"],
            rls_forced=row["rls_forced"],
            comment=row["comment"],
        )
    oids = list(by_oid)
    if oids:
        for row in await conn.fetch(_sql("columns"), oids):
            by_oid[row["table_oid"]].columns.append(_column(row))
        for row in await conn.fetch(_sql("constraints"), oids):
            by_oid[row["table_oid"]].constraints.append(_constraint(row))
        for row in await conn.fetch(_sql("indexes"), oids):
            by_oid[row["table_oid"]].indexes.append(_index(row))
        for row in await conn.fetch(_sql("policies"), oids):
            by_oid[row["table_oid"]].policies.append(_policy(row))
    return SchemaModel(source="database", tables=list(by_oid.values()), origin=schema_list)


async def load_model_from_db(
    db: Database,
    schemas: Sequence[str] | str | None = None,
    tables: Sequence[str] | None = None,
) -> SchemaModel:
    """Read the schema model from the database `db` (see `load_model_from_connection`)."""

    async def work(conn: asyncpg.Connection) -> SchemaModel:
        return await load_model_from_connection(conn, schemas, tables)

    return await db.run(work)


def _column(row: asyncpg.Record) -> Column:
    return Column(
        name=row["name"],
        type=row["type"],
        not_null=row["not_null"],
        default=row["default"],
        identity=row["identity"],
        generated=row["generated"],
        comment=row["comment"],
    )


def _constraint(row: asyncpg.Record) -> Constraint:
    return Constraint(
        name=row["name"],
        kind=_KINDS[row["kind"]],  # type: ignore[arg-type]
        columns=list(row["columns"]),
        expression=row["expression"],
        ref_schema=row["ref_schema"],
        ref_table=row["ref_table"],
        ref_columns=list(row["ref_columns"]) if row["kind"] == "f" else [],
        on_delete=_ACTIONS.get(row["on_delete"]) if row["on_delete"] else None,
        on_update=_ACTIONS.get(row["on_update"]) if row["on_update"] else None,
        validated=row["validated"],
    )


def _index(row: asyncpg.Record) -> Index:
    keys: list[dict[str, Any]] = json.loads(row["keys"]) if isinstance(row["keys"], str) else row["keys"]
    return Index(
        name=row["name"],
        method=row["method"],
        keys=[IndexKey(**key) for key in keys],
        include=list(row["include"]),
        unique=row["unique"],
        primary=row["primary"],
        constraint=row["constraint"],
        predicate=row["predicate"],
        valid=row["valid"],
    )


def _policy(row: asyncpg.Record) -> Policy:
    return Policy(
        name=row["name"],
        command=row["command"],
        roles=list(row["roles"]) or ["public"],
        permissive=row["permissive"],
        using=row["using"],
        with_check=row["with_check"],
        columns=sorted(set(columns_in_text(row["using"])) | set(columns_in_text(row["with_check"]))),
    )
