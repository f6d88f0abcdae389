"""db_overview, list_objects and describe_object against a real PostgreSQL 15 and the embedded 18."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from pgsage.tools.catalog import db_overview, describe_object, list_objects
from pgsage.tools.errors import InvalidInput, NotFound

SCHEMA = (Path(__file__).parent / "schema.sql").read_text()


@pytest.fixture(params=["pg15", "pg18"])
def shop_dsn(request: pytest.FixtureRequest) -> str:
    factory = request.getfixturevalue("make_db" if request.param == "pg15" else "make_db18")
    return factory(SCHEMA)


async def test_overview_reports_server_role_extensions_and_schemas(make_db, connect) -> None:
    db = connect(make_db(SCHEMA, extensions=("pg_stat_statements", "hypopg")))
    ov = await db_overview(db)
    assert ov.server_version_num // 10000 == 15
    assert ov.database_bytes > 0
    assert ov.role.superuser is True
    assert any("superuser" in w for w in ov.warnings)
    assert ov.settings["shared_preload_libraries"] == "pg_stat_statements"
    assert {"work_mem", "shared_buffers", "random_page_cost"} <= set(ov.settings)
    installed = {e.name: e for e in ov.extensions}
    assert installed["hypopg"].version and installed["hypopg"].schema == "public"
    assert "pg_stat_statements" not in ov.available_extensions  # installed ones are listed once
    assert "pgstattuple" in ov.available_extensions
    assert ov.pg_stat_statements.usable is True
    assert ov.hypopg == "installed"
    shop = next(s for s in ov.schemas if s.schema == "shop")
    assert (shop.tables, shop.partitioned_tables, shop.views, shop.materialized_views) == (4, 1, 1, 1)
    assert shop.functions == 4
    dumped = ov.model_dump(mode="json")
    assert "foreign_tables" not in next(s for s in dumped["schemas"] if s["schema"] == "shop")


async def test_overview_without_pg_stat_statements_says_what_to_do(make_db, connect) -> None:
    ov = await db_overview(connect(make_db()))
    assert ov.pg_stat_statements.usable is False
    assert "CREATE EXTENSION pg_stat_statements" in (ov.pg_stat_statements.reason or "")
    assert ov.hypopg.startswith("available")


async def test_overview_on_pg18_without_hypopg(make_db18, connect) -> None:
    ov = await db_overview(connect(make_db18(SCHEMA)))
    assert ov.server_version_num // 10000 == 18
    assert "shared_preload_libraries" in (ov.pg_stat_statements.reason or "")
    assert ov.hypopg.startswith("not available")
    assert "vector" in ov.available_extensions


async def test_overview_for_an_unprivileged_role_warns_and_still_answers(make_db, connect) -> None:
    dsn = make_db(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgsage_reader') THEN "
        "CREATE ROLE pgsage_reader LOGIN; END IF; END $$"
    )
    ov = await db_overview(connect(dsn.replace("postgres@", "pgsage_reader@")))
    assert ov.role.superuser is False
    assert any("pg_read_all_stats" in w for w in ov.warnings)
    # shared_preload_libraries is hidden from ordinary roles; the overview simply leaves it out.
    assert "shared_preload_libraries" not in ov.settings


async def test_list_objects_kinds_sizes_and_estimates(shop_dsn, connect) -> None:
    page = await list_objects(connect(shop_dsn), schema="shop", limit=100)
    by = {(o.name, o.kind): o for o in page.objects}
    assert by[("customers", "table")].row_estimate == 500
    assert by[("customers", "table")].bytes > 0
    assert by[("customers", "table")].comment == "people who buy"
    assert ("events", "partitioned_table") in by
    assert by[("events_2025", "table")].partition_of == "shop.events"
    assert ("paid_orders", "view") in by and ("order_totals", "materialized_view") in by
    assert ("invoice_no", "sequence") in by
    assert by[("status", "type")].detail == "enum"
    assert by[("positive", "type")].detail == "domain"
    assert by[("pair", "type")].detail == "composite"
    counts = [o for o in page.objects if o.name == "order_count"]
    assert sorted(o.arguments for o in counts) == ["c bigint", "c bigint, s shop.status"]
    assert by[("archive", "procedure")].returns is None or by[("archive", "procedure")].kind == "procedure"
    # table row types are not listed as types
    assert ("customers", "type") not in by
    assert page.total == len(page.objects) and page.next_cursor is None


async def test_list_objects_paginates_with_a_cursor(shop_dsn, connect) -> None:
    db = connect(shop_dsn)
    seen: list[tuple[str, str, str]] = []
    cursor = None
    while True:
        page = await list_objects(db, kind=["table", "view"], limit=3, cursor=cursor)
        seen.extend((o.schema, o.name, o.kind) for o in page.objects)
        cursor = page.next_cursor
        if cursor is None:
            break
        assert page.truncated
    everything = await list_objects(db, kind=["table", "view"], limit=100)
    assert seen == [(o.schema, o.name, o.kind) for o in everything.objects]
    assert len(seen) == everything.total == len(set(seen))


async def test_list_objects_pattern_and_filters(shop_dsn, connect) -> None:
    db = connect(shop_dsn)
    names = [o.name for o in (await list_objects(db, pattern="ORDER")).objects]
    assert "orders" in names and "paid_orders" in names and "customers" not in names
    glob = [o.name for o in (await list_objects(db, pattern="events_*")).objects]
    assert glob == ["events_2025", "events_2026"]
    # underscores and percent signs in patterns are literal, not LIKE wildcards
    assert (await list_objects(db, pattern="%")).objects == []
    hostile = await list_objects(db, pattern='x"; DROP')
    assert [o.name for o in hostile.objects] == ['x"; DROP TABLE t; --']
    assert (await list_objects(db, schema="nope")).total == 0


async def test_list_objects_rejects_bad_arguments(make_db, connect) -> None:
    db = connect(make_db())
    with pytest.raises(InvalidInput, match="kind"):
        await list_objects(db, kind="tables")
    with pytest.raises(InvalidInput, match="cursor"):
        await list_objects(db, cursor="not-a-cursor")
    with pytest.raises(InvalidInput, match="limit"):
        await list_objects(db, limit=0)


async def test_describe_table_everything(shop_dsn, connect) -> None:
    d = await describe_object(connect(shop_dsn), "shop.orders")
    assert (d.schema, d.name, d.kind) == ("shop", "orders", "table")
    cols = {c.name: c for c in d.columns}
    assert cols["id"].default and "nextval" in cols["id"].default
    assert cols["status"].type == "shop.status" and cols["status"].not_null
    assert cols["total_with_tax"].generated == "(total * 1.2)"
    assert cols["total_with_tax"].default is None
    cons = {c.name: c for c in d.constraints}
    fk = cons["orders_customer_id_fkey"]
    assert fk.type == "foreign_key" and fk.on_delete == "CASCADE" and fk.references == "shop.customers"
    assert fk.columns == ["customer_id"]
    assert cons["orders_pkey"].type == "primary_key"
    assert any(c.type == "check" for c in d.constraints)
    idx = {i.name: i for i in d.indexes}
    assert idx["orders_pkey"].primary and idx["orders_pkey"].valid
    assert idx["orders_status_idx"].method == "hash"
    assert idx["orders_customer_idx"].bytes > 0
    assert [t.name for t in d.triggers] == ["orders_touch"]
    assert d.rls_enabled is True and d.rls_forced is True
    assert d.policies[0].name == "orders_own" and d.policies[0].command == "SELECT"
    assert d.policies[0].roles == ["public"]


async def test_describe_identity_comments_stats_and_incoming_keys(shop_dsn, connect) -> None:
    d = await describe_object(connect(shop_dsn), "customers", schema="shop")
    cols = {c.name: c for c in d.columns}
    assert cols["id"].identity == "always"
    assert cols["email"].comment == "login e-mail"
    assert cols["email"].n_distinct == -1.0
    assert d.comment == "people who buy"
    assert d.referenced_by[0].from_table == "shop.orders" and d.referenced_by[0].on_delete == "CASCADE"
    assert d.stats is not None and d.stats.last_analyze is not None and d.stats.n_tup_ins == 500


async def test_describe_partitions_views_sequences_routines_types(shop_dsn, connect) -> None:
    db = connect(shop_dsn)
    events = await describe_object(db, "shop.events")
    assert events.kind == "partitioned_table"
    assert events.partition_key == "RANGE (at)"
    assert [p.name for p in events.partitions] == ["shop.events_2025", "shop.events_2026"]
    assert events.partitions_total == 2
    part = await describe_object(db, "shop.events_2025")
    assert part.parent == "shop.events" and "2025-01-01" in (part.partition_bound or "")
    view = await describe_object(db, "shop.paid_orders")
    assert view.kind == "view" and "status" in (view.definition or "")
    assert [c.name for c in view.columns] == ["id", "customer_id"]
    seq = await describe_object(db, "shop.invoice_no")
    assert seq.sequence is not None and seq.sequence.increment == 10 and seq.sequence.data_type == "integer"
    owned = await describe_object(db, "shop.orders_id_seq")
    assert owned.sequence is not None and owned.sequence.owned_by == "shop.orders.id"
    fn = await describe_object(db, "shop.order_count")
    assert fn.kind == "function" and len(fn.routines) == 2
    assert {r.volatility for r in fn.routines} == {"stable"} and "count" in (fn.routines[0].source or "")
    enum = await describe_object(db, "shop.status")
    assert enum.kind == "enum_type" and enum.type is not None and enum.type.labels == ["new", "paid", "shipped"]
    dom = await describe_object(db, "shop.positive")
    assert dom.type is not None and dom.type.base_type == "integer" and dom.type.not_null
    comp = await describe_object(db, "shop.pair")
    assert comp.type is not None and comp.type.attributes == ["a integer", "b text"]


async def test_describe_resolves_quoted_and_hostile_names_without_injection(shop_dsn, connect) -> None:
    db = connect(shop_dsn)
    mixed = await describe_object(db, '"Mixed Case"')
    assert mixed.name == "Mixed Case" and [c.name for c in mixed.columns] == ["id", 'Weird "col"']
    assert (await describe_object(db, 'public."Mixed Case"')).name == "Mixed Case"
    assert (await describe_object(db, "Mixed Case")).name == "Mixed Case"
    hostile = await describe_object(db, 'x"; DROP TABLE t; --')
    assert hostile.name == 'x"; DROP TABLE t; --'
    assert (await describe_object(db, "dotted.name")).name == "dotted.name"
    assert (await describe_object(db, "T")).name == "t"
    assert (await describe_object(db, "shop.orders", schema="shop")).name == "orders"
    conn = await asyncpg.connect(shop_dsn)
    try:
        assert await conn.fetchval("SELECT to_regclass('public.t') IS NOT NULL")
    finally:
        await conn.close()


async def test_describe_unknown_names_suggest_close_matches(shop_dsn, connect) -> None:
    db = connect(shop_dsn)
    with pytest.raises(NotFound, match=r"shop\.orders") as err:
        await describe_object(db, "shop.ordrs")
    assert "ordrs" in str(err.value)
    with pytest.raises(NotFound):
        await describe_object(db, "'; SELECT pg_sleep(10); --")
    with pytest.raises(NotFound):
        await describe_object(db, "orders", schema="public")


async def test_describe_ambiguous_name_asks_for_a_schema(shop_dsn, connect) -> None:
    with pytest.raises(InvalidInput, match=r"other\.customers.*shop\.customers"):
        await describe_object(connect(shop_dsn), "customers")


async def test_describe_caps_lists_and_bytes(make_db, connect) -> None:
    columns = ", ".join(f"c{i} int" for i in range(300))
    db = connect(make_db(f"CREATE TABLE wide ({columns})"))
    capped = await describe_object(db, "wide", max_items=50)
    assert len(capped.columns) == 50 and capped.truncated
    small = await describe_object(db, "wide", max_items=500, max_bytes=4000)
    assert small.truncated and len(small.model_dump_json()) <= 4000
    full = await describe_object(db, "wide", max_items=500)
    assert len(full.columns) == 300 and not full.truncated


async def test_list_objects_byte_cap_keeps_the_cursor_consistent(make_db, connect) -> None:
    tables = "; ".join(f"CREATE TABLE t{i:03d} (id int); COMMENT ON TABLE t{i:03d} IS '{'c' * 100}'" for i in range(60))
    db = connect(make_db(tables))
    names: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await list_objects(db, kind="table", limit=50, cursor=cursor, max_bytes=2_000)
        assert len(page.model_dump_json()) <= 2_000 and page.objects
        names.extend(o.name for o in page.objects)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert names == [f"t{i:03d}" for i in range(60)] and pages > 2


async def test_describe_an_index_points_at_its_table(shop_dsn, connect) -> None:
    d = await describe_object(connect(shop_dsn), "orders_customer_idx", schema="shop")
    assert d.kind == "index" and d.index_table == "shop.orders"
    assert d.definition == "CREATE INDEX orders_customer_idx ON shop.orders USING btree (customer_id)"


async def test_unprivileged_role_can_describe_without_statistics(make_db, connect) -> None:
    dsn = make_db(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgsage_reader') THEN "
        "CREATE ROLE pgsage_reader LOGIN; END IF; END $$;" + SCHEMA
    )
    db = connect(dsn.replace("postgres@", "pgsage_reader@"))
    d = await describe_object(db, "shop.customers")
    assert [c.name for c in d.columns] == ["id", "email", "name", "created_at"]
    # pg_stats only shows columns the role may read: no statistics, no error.
    assert all(c.n_distinct is None for c in d.columns)
    assert (await list_objects(db, schema="shop", kind="table")).total == 4
