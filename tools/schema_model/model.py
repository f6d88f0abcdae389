"""The schema model: tables, columns, constraints, indexes, RLS and policies, whatever the source.

The same model is built from the live catalog (`from_catalog`) and from SQL files (`from_sql`), so rules
never ask where a schema came from. Conventions both loaders follow:

- type names are spelled as `format_type()` prints them (`integer`, `character varying(255)`,
  `timestamp without time zone`, `vector(1536)`, `text[]`);
- names are unquoted identifiers as stored in the catalog (case preserved, no quotes);
- an index key is either a column or an expression; `opclass` is None when it is the type's default
  operator class for that access method, so a spelled-out default and an omitted one compare equal;
- expressions (defaults, CHECKs, predicates, policies) keep the text each source prints: compare their
  column references (`expression_columns`), never the text across sources;
- child partitions are left out (their parent carries the design).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "Column",
    "Constraint",
    "ConstraintKind",
    "FkAction",
    "Index",
    "IndexKey",
    "Policy",
    "SchemaModel",
    "Table",
]

ConstraintKind = Literal["primary_key", "unique", "check", "foreign_key", "exclusion"]
FkAction = Literal["no action", "restrict", "cascade", "set null", "set default"]


class Column(BaseModel):
    name: str
    type: str
    not_null: bool = False
    default: str | None = None
    identity: Literal["always", "by default"] | None = None
    generated: str | None = None  # the expression of a GENERATED ... AS (expr) column
    comment: str | None = None

    @property
    def base_type(self) -> str:
        """The type without schema, modifiers or array brackets.

        `character varying(20)` -> `character varying`; `extensions.vector(1536)` -> `vector` (Supabase
        installs pgvector in the `extensions` schema, which format_type() then prints).
        """
        name = self.type.removesuffix("[]")
        head, _, tail = name.partition("(")
        head = head.strip().rsplit(".", 1)[-1]
        if not tail:
            return head
        rest = tail.partition(")")[2].strip()
        return f"{head} {rest}".strip() if rest else head

    @property
    def is_array(self) -> bool:
        return self.type.endswith("[]")


class Constraint(BaseModel):
    name: str
    kind: ConstraintKind
    columns: list[str] = Field(default_factory=list)
    expression: str | None = None  # CHECK expression
    ref_schema: str | None = None
    ref_table: str | None = None
    ref_columns: list[str] = Field(default_factory=list)
    on_delete: FkAction | None = None
    on_update: FkAction | None = None
    validated: bool = True


class IndexKey(BaseModel):
    column: str | None = None
    expression: str | None = None
    opclass: str | None = None  # None: the default operator class
    descending: bool = False


class Index(BaseModel):
    name: str
    method: str = "btree"
    keys: list[IndexKey] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)
    unique: bool = False
    primary: bool = False
    constraint: str | None = None  # name of the PK/UNIQUE/EXCLUDE constraint this index backs
    predicate: str | None = None
    valid: bool = True

    @property
    def key_columns(self) -> list[str | None]:
        """Key columns in order; None stands for an expression key."""
        return [key.column for key in self.keys]


class Policy(BaseModel):
    name: str
    command: Literal["all", "select", "insert", "update", "delete"] = "all"
    roles: list[str] = Field(default_factory=lambda: ["public"])
    permissive: bool = True
    using: str | None = None
    with_check: str | None = None
    # Columns the USING and WITH CHECK expressions refer to, filled by both loaders with pglast.
    columns: list[str] = Field(default_factory=list)


class Table(BaseModel):
    schema_name: str = Field(alias="schema")
    name: str
    partitioned: bool = False
    columns: list[Column] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    indexes: list[Index] = Field(default_factory=list)
    rls_enabled: bool = False
    rls_forced: bool = False
    policies: list[Policy] = Field(default_factory=list)
    comment: str | None = None

    model_config = {"populate_by_name": True}

    @property
    def qualified(self) -> str:
        return f"{self.schema_name}.{self.name}"

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def primary_key(self) -> Constraint | None:
        return next((c for c in self.constraints if c.kind == "primary_key"), None)

    @property
    def foreign_keys(self) -> list[Constraint]:
        return [c for c in self.constraints if c.kind == "foreign_key"]


class SchemaModel(BaseModel):
    source: Literal["database", "sql"]
    tables: list[Table] = Field(default_factory=list)
    # Where the model came from: the schemas read, or the files parsed ("<string 1>" for inline SQL).
    origin: list[str] = Field(default_factory=list)
    # Statements the SQL loader could not apply (e.g. ALTER of a table it never saw), with file:line.
    warnings: list[str] = Field(default_factory=list)

    def table(self, name: str, schema: str | None = None) -> Table | None:
        """Find a table by name (optionally `schema.name`, or with `schema`); None when absent."""
        if schema is None and "." in name:
            schema, name = name.split(".", 1)
        for table in self.tables:
            if table.name == name and (schema is None or table.schema_name == schema):
                return table
        return None

    @property
    def uses_rls(self) -> bool:
        return any(t.rls_enabled or t.policies for t in self.tables)
