"""Rule behaviour on small schemas: what is flagged, what is not, and the engine's switches."""

from __future__ import annotations

import pytest

from pgsage.tools.errors import InvalidInput, NotFound
from pgsage.tools.review import REGISTRY, review
from pgsage.tools.review import engine as engine_module
from pgsage.tools.schema_model import load_model_from_sql


def found(sql: str, rule: str, **kwargs: object) -> list[str]:
    report = review(load_model_from_sql(sql), rules=[rule], **kwargs)  # type: ignore[arg-type]
    assert report.rules_run == [rule]
    return [f.object for f in report.findings]


BASE = "CREATE TABLE p (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n"


def test_fk_index_may_list_the_key_columns_in_any_order_but_must_lead_and_cover_all_rows() -> None:
    sql = (
        BASE
        + """
    CREATE TABLE c (a int, b int, p_id bigint, PRIMARY KEY (a, b),
                    FOREIGN KEY (b, a) REFERENCES c2 (x, y), FOREIGN KEY (p_id) REFERENCES p);
    CREATE TABLE c2 (x int, y int, PRIMARY KEY (x, y));
    CREATE INDEX c_p_partial ON c (p_id) WHERE p_id > 0;
    """
    )
    # (b, a) is served by the primary key (a, b); p_id only by a partial index, which does not count.
    assert found(sql, "fk-without-index") == ["public.c.c_p_id_fkey"]
    assert found(sql + "CREATE INDEX ON c (p_id, a);", "fk-without-index") == []
    assert found(sql + "CREATE INDEX ON c (a, p_id);", "fk-without-index") == ["public.c.c_p_id_fkey"]


def test_tenant_rules_ignore_tables_without_the_column_and_the_tenant_table() -> None:
    sql = """
    CREATE TABLE users (id bigint PRIMARY KEY, project_id uuid);
    CREATE TABLE projects (id uuid PRIMARY KEY, project_id uuid, owner bigint REFERENCES users);
    CREATE TABLE tasks (id bigint PRIMARY KEY, project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE);
    CREATE INDEX ON tasks (project_id);
    CREATE TABLE tags (id bigint PRIMARY KEY, label text);
    """
    # users has the column (nullable, no FK): it is tenant-owned; projects is the tenant table; tags has no column.
    for rule in ("tenant-column-not-null", "tenant-foreign-key", "tenant-index"):
        assert found(sql, rule) == ["public.users.project_id"], rule


def test_tenant_column_is_configurable_and_the_tenant_table_is_guessed_without_foreign_keys() -> None:
    sql = """
    CREATE TABLE orgs (id uuid PRIMARY KEY);
    CREATE TABLE invoices (id bigint PRIMARY KEY, org_id uuid);
    """
    assert found(sql, "tenant-column-not-null") == []  # default column project_id: nothing is tenant-owned
    assert found(sql, "tenant-column-not-null", tenant_column="org_id") == ["public.invoices.org_id"]
    report = review(load_model_from_sql(sql), rules=["tenant-foreign-key"], tenant_column="org_id")
    assert report.findings[0].fix == (
        "ALTER TABLE public.invoices ADD CONSTRAINT invoices_org_id_fkey FOREIGN KEY (org_id) "
        "REFERENCES public.orgs (id) ON DELETE CASCADE NOT VALID;\n"
        "ALTER TABLE public.invoices VALIDATE CONSTRAINT invoices_org_id_fkey;"
    )


def test_tenant_rls_only_where_rls_is_used_and_policies_must_mention_the_column() -> None:
    sql = """
    CREATE TABLE projects (id uuid PRIMARY KEY);
    CREATE TABLE a (id int PRIMARY KEY, project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE);
    CREATE TABLE b (id int PRIMARY KEY, project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE);
    """
    assert found(sql, "tenant-rls") == []
    with_rls = (
        sql
        + """
    ALTER TABLE a ENABLE ROW LEVEL SECURITY; ALTER TABLE a FORCE ROW LEVEL SECURITY;
    CREATE POLICY a_all ON a USING (true);
    """
    )
    report = review(load_model_from_sql(with_rls), rules=["tenant-rls"])
    assert [(f.object, f.severity) for f in report.findings] == [("public.a", "error"), ("public.b", "error")]
    assert "no policy refers to project_id" in report.findings[0].why


def test_jsonb_without_queries_is_info_and_gin_of_any_class_silences_it() -> None:
    sql = BASE + "CREATE TABLE d (id int PRIMARY KEY, doc jsonb, other json);"
    report = review(load_model_from_sql(sql), rules=["jsonb-without-gin"])
    assert [(f.object, f.severity) for f in report.findings] == [("public.d.doc", "info")]
    assert found(sql + "CREATE INDEX ON d USING gin (doc);", "jsonb-without-gin") == []
    # an expression index on one key does not serve containment on the column
    assert found(sql + "CREATE INDEX ON d USING gin ((doc -> 'tags'));", "jsonb-without-gin") == ["public.d.doc"]


def test_jsonb_queries_resolve_aliases_and_ignore_unindexable_forms() -> None:
    sql = BASE + "CREATE TABLE d (id int PRIMARY KEY, doc jsonb); CREATE INDEX ON d USING gin (doc jsonb_path_ops);"
    assert found(sql, "jsonb-without-gin", queries=["SELECT 1 FROM d x WHERE x.doc @> '{}'"]) == []
    assert found(sql, "jsonb-without-gin", queries=["SELECT 1 FROM d WHERE doc ?| array['a']"]) == ["public.d.doc"]
    # `doc <@ x` cannot use any GIN operator class, and ->> comparisons are not GIN operators at all
    assert found(sql, "jsonb-without-gin", queries=["SELECT 1 FROM d WHERE doc <@ '{}'"]) == []
    assert found(sql, "jsonb-without-gin", queries=["SELECT 1 FROM d WHERE doc->>'k' = 'v'"]) == []


def test_serial_and_int_keys() -> None:
    sql = """
    CREATE TABLE a (id serial PRIMARY KEY);
    CREATE TABLE b (id bigserial PRIMARY KEY);
    CREATE TABLE c (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
    CREATE TABLE d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
    CREATE TABLE e (id uuid PRIMARY KEY);
    """
    report = review(load_model_from_sql(sql), rules=["prefer-identity-bigint"])
    assert [(f.object, f.severity) for f in report.findings] == [
        ("public.a.id", "warning"),
        ("public.b.id", "warning"),
        ("public.c.id", "info"),
    ]
    assert "DROP SEQUENCE a_id_seq;" in (report.findings[0].fix or "")


def test_prefer_text_skips_unbounded_varchar_and_text() -> None:
    sql = "CREATE TABLE t (a varchar, b text, c varchar(10), d char(2), e character varying(3)[]);"
    assert found(sql, "prefer-text") == ["public.t.c", "public.t.d"]


def test_duplicates_keep_the_constraint_index_and_redundancy_needs_the_same_predicate() -> None:
    sql = """
    CREATE TABLE t (a int PRIMARY KEY, b int, c int);
    CREATE UNIQUE INDEX t_a_copy ON t (a);
    CREATE INDEX t_b_idx ON t (b);
    CREATE INDEX t_b_c_idx ON t (b, c);
    CREATE INDEX t_c_idx ON t (c) WHERE c > 0;
    CREATE INDEX t_c_b_idx ON t (c, b);
    CREATE INDEX t_b_desc_idx ON t (b DESC);
    """
    assert found(sql, "duplicate-index") == ["public.t_a_copy"]
    assert found(sql, "redundant-index") == ["public.t_b_idx"]


def test_naming_flags_quoted_and_reserved_names_and_off_convention_indexes() -> None:
    sql = """
    CREATE TABLE "Order" (id int PRIMARY KEY, "user" text, ok_name text);
    CREATE TABLE t (a int, b int, c int);
    CREATE INDEX t_a_idx ON t (a);
    CREATE INDEX t_b_idx ON t (b);
    CREATE INDEX by_c ON t (c);
    """
    assert found(sql, "naming-convention") == ["public.Order", "public.Order.user", "public.by_c"]


def test_rules_can_be_chosen_and_switched_off_and_unknown_ids_are_refused() -> None:
    model = load_model_from_sql("CREATE TABLE t (a timestamp);")
    report = review(model, skip=["table-without-primary-key"])
    assert "table-without-primary-key" in report.rules_skipped
    assert "table-without-primary-key" not in report.rules_run
    assert [f.rule for f in report.findings] == ["timestamp-without-time-zone"]
    assert len(report.rules_run) + len(report.rules_skipped) == len(REGISTRY)
    with pytest.raises(NotFound, match="unknown rule id"):
        review(model, rules=["no-such-rule"])


def test_unparsable_query_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="query 1 does not parse"):
        review(load_model_from_sql("CREATE TABLE t (a int);"), queries=["SELEC nonsense"])


def test_a_crashing_rule_is_reported_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(model: object, ctx: object) -> list:
        raise RuntimeError("boom")

    info, _ = REGISTRY["prefer-text"]
    monkeypatch.setitem(engine_module.REGISTRY, "prefer-text", (info, broken))
    report = review(load_model_from_sql("CREATE TABLE t (a timestamp, b varchar(3));"))
    assert "rule prefer-text failed: RuntimeError: boom" in report.notes
    assert "timestamp-without-time-zone" in {f.rule for f in report.findings}


def test_findings_are_capped_and_say_so() -> None:
    sql = "CREATE TABLE t (a timestamp, b timestamp, c timestamp);"
    report = review(load_model_from_sql(sql), rules=["timestamp-without-time-zone"], max_findings=2)
    assert report.truncated and len(report.findings) == 2
    assert report.counts == {"warning": 3}


def test_vector_type_in_an_extension_schema_is_still_a_vector() -> None:
    sql = "CREATE TABLE e (id bigint PRIMARY KEY, embedding extensions.vector(1536), h halfvec(3)[]);"
    model = load_model_from_sql(sql)
    assert model.table("e").column("embedding").base_type == "vector"  # type: ignore[union-attr]
    assert found(sql, "vector-without-index") == ["public.e.embedding"]


def test_workload_statements_that_do_not_parse_are_skipped_and_counted() -> None:
    model = load_model_from_sql("CREATE TABLE d (id bigint PRIMARY KEY, doc jsonb);")
    workload = ["SELECT id FROM d WHERE doc @> $1", "SELECT id FROM d WHERE doc @> '{\"a\": 1}' AND x IN (..."]
    report = review(model, rules=["jsonb-without-gin"], workload=workload)
    assert [(f.object, f.severity) for f in report.findings] == [("public.d.doc", "warning")]
    assert report.notes == ["workload: 2 statements read, 1 skipped because they do not parse"]
