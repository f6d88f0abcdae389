"""The SQL loader and the catalog loader build the same model for the same schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg

from pgsage.tools.review import review
from pgsage.tools.schema_model import SchemaModel, load_model_from_connection, load_model_from_sql
from pgsage.tools.schema_model.expressions import columns_in_text

FIXTURE = Path(__file__).parent / "fixtures" / "everything.sql"
# Expression texts are printed differently by PostgreSQL (pg_get_expr) and pglast; rules compare the
# columns they mention, so the parity check does too.
_EXPRESSIONS = ("default", "generated", "expression", "predicate", "using", "with_check")


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in _EXPRESSIONS and isinstance(item, str):
                out[key] = sorted(columns_in_text(item))
            else:
                out[key] = _comparable(item)
        return out
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


def comparable(model: SchemaModel) -> Any:
    return _comparable(model.model_dump(exclude={"source", "origin", "warnings"}))


async def test_catalog_and_sql_models_are_equal(make_db) -> None:
    sql = FIXTURE.read_text()
    dsn = make_db(sql, extensions=("pgcrypto",))
    conn = await asyncpg.connect(dsn)
    try:
        live = await load_model_from_connection(conn, ["public", "app"])
    finally:
        await conn.close()
    parsed = load_model_from_sql(FIXTURE)
    assert parsed.warnings == []
    assert live.source == "database" and parsed.source == "sql"
    assert comparable(live) == comparable(parsed)
    # and the comparison is not vacuous
    assert len(live.tables) == 15
    assert sum(len(t.indexes) for t in live.tables) >= 15


async def test_serial_default_is_the_same_text_in_both_sources(make_db) -> None:
    sql = "CREATE TABLE t (id serial PRIMARY KEY); CREATE SCHEMA s; CREATE TABLE s.u (id bigserial);"
    dsn = make_db(sql)
    conn = await asyncpg.connect(dsn)
    try:
        live = await load_model_from_connection(conn, ["public", "s"])
    finally:
        await conn.close()
    parsed = load_model_from_sql(sql)
    for model in (live, parsed):
        t, u = model.table("public.t"), model.table("s.u")
        assert t is not None and u is not None
        assert t.columns[0].default == "nextval('t_id_seq'::regclass)"
        assert u.columns[0].default == "nextval('s.u_id_seq'::regclass)"
        assert (t.columns[0].type, u.columns[0].type) == ("integer", "bigint")
        assert t.columns[0].not_null and u.columns[0].not_null


async def test_review_findings_agree_on_the_catch_all_schema(make_db) -> None:
    dsn = make_db(FIXTURE.read_text(), extensions=("pgcrypto",))
    conn = await asyncpg.connect(dsn)
    try:
        live = await load_model_from_connection(conn, ["public", "app"])
    finally:
        await conn.close()
    parsed = load_model_from_sql(FIXTURE)
    from_db = [(f.severity, f.rule, f.object) for f in review(live).findings]
    from_sql = [(f.severity, f.rule, f.object) for f in review(parsed).findings]
    assert from_db == from_sql
    assert len(from_db) > 20
