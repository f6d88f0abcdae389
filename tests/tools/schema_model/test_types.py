"""Type names parsed from SQL are spelled exactly as format_type() prints them."""

from __future__ import annotations

import json

import asyncpg
import pytest
from pglast.parser import parse_sql_json

from pgsage.tools.schema_model.types import format_type

TYPES = [
    "int",
    "integer",
    "int4",
    "smallint",
    "int2",
    "bigint",
    "int8",
    "real",
    "float",
    "float(10)",
    "float(30)",
    "double precision",
    "boolean",
    "bool",
    "varchar(255)",
    "character varying",
    "char",
    "char(3)",
    "character(5)",
    "bpchar",
    '"char"',
    "text",
    "numeric",
    "numeric(10)",
    "numeric(10,2)",
    "decimal(5,1)",
    "timestamp",
    "timestamp(3)",
    "timestamptz",
    "timestamp with time zone",
    "timestamp(6) with time zone",
    "time",
    "time(2)",
    "timetz",
    "date",
    "interval",
    "bit(3)",
    "bit varying(5)",
    "varbit",
    "uuid",
    "jsonb",
    "json",
    "bytea",
    "inet",
    "cidr",
    "macaddr",
    "int[]",
    "text[][]",
    "varchar(10)[]",
    "timestamp[]",
    "name",
    "oid",
    "money",
    "tsvector",
    "xml",
    "int4range",
    "pg_catalog.int4",
    "pg_catalog.varchar(7)",
]


def _parsed(type_sql: str) -> str:
    tree = json.loads(parse_sql_json(f"CREATE TABLE z (x {type_sql})"))
    return format_type(tree["stmts"][0]["stmt"]["CreateStmt"]["tableElts"][0]["ColumnDef"]["typeName"])


async def test_every_spelling_matches_the_catalog(make_db) -> None:
    columns = ", ".join(f"c{i} {t}" for i, t in enumerate(TYPES))
    dsn = make_db(f"CREATE TABLE types ({columns})")
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT attname, format_type(atttypid, atttypmod) AS t FROM pg_attribute "
            "WHERE attrelid = 'types'::regclass AND attnum > 0 ORDER BY attnum"
        )
    finally:
        await conn.close()
    expected = [row["t"] for row in rows]
    assert [_parsed(t) for t in TYPES] == expected


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("serial", "integer"),
        ("serial4", "integer"),
        ("bigserial", "bigint"),
        ("serial8", "bigint"),
        ("smallserial", "smallint"),
        ("vector(1536)", "vector(1536)"),
        ("halfvec(4000)", "halfvec(4000)"),
        ("extensions.vector(3)", "extensions.vector(3)"),
        ("public.vector(3)", "vector(3)"),
        ("timestamp", "timestamp without time zone"),
        ("varchar(255)", "character varying(255)"),
    ],
)
def test_serial_and_extension_types(spelling: str, expected: str) -> None:
    assert _parsed(spelling) == expected
