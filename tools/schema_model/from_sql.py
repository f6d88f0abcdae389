"""Build the schema model from SQL text (schema files, migration folders), parsed with pglast.

Statements are applied in order, the way PostgreSQL would run them: CREATE TABLE (column and table
constraints, serial types expanded to an integer column with a sequence default, identity, generated
columns, references), ALTER TABLE (add/drop column and constraint, SET/DROP NOT NULL, TYPE, DEFAULT,
identity, VALIDATE, [NO] FORCE / ENABLE / DISABLE ROW LEVEL SECURITY), RENAME, CREATE [UNIQUE] INDEX,
CREATE/ALTER/DROP POLICY, COMMENT ON TABLE/COLUMN, DROP TABLE/INDEX. Anything else (functions, triggers,
extensions, data) is skipped. Unqualified names live in `public`; unnamed objects get PostgreSQL's own
default names, so findings name the same objects as with the live catalog. Statements about unknown
tables are recorded in `SchemaModel.warnings` rather than failing the whole load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pglast.parser import ParseError, parse_sql_json

from ..errors import InvalidInput, NotFound
from ..source_files import expand_paths, read_text_file
from .expressions import column_refs, columns_in_text, deparse
from .model import Column, Constraint, FkAction, Index, IndexKey, Policy, SchemaModel, Table
from .naming import choose_name, index_column_label
from .types import SERIAL_TYPES, format_type, type_parts

__all__ = ["load_model_from_sql", "model_from_sql_texts"]

DEFAULT_SCHEMA = "public"
_FK_ACTIONS: dict[str, FkAction] = {
    "a": "no action",
    "r": "restrict",
    "c": "cascade",
    "n": "set null",
    "d": "set default",
}
_POLICY_COMMANDS = {"all", "select", "insert", "update", "delete"}
_NEWLINE = b"\n"
# CREATE TABLE ... (LIKE source INCLUDING ...) option bits (TableLikeOption in parsenodes.h).
_LIKE_COMMENTS, _LIKE_CONSTRAINTS, _LIKE_DEFAULTS = 1 << 0, 1 << 2, 1 << 3
_LIKE_GENERATED, _LIKE_IDENTITY, _LIKE_INDEXES = 1 << 4, 1 << 5, 1 << 6
# Default operator classes of the index methods whose opclass the rules look at (gin, gist, pgvector's
# ivfflat); btree/hash/brin defaults are recognised by name below.
_DEFAULT_OPCLASSES = {
    "gin": {"jsonb_ops", "array_ops", "tsvector_ops"},
    "gist": {"tsvector_ops", "range_ops", "multirange_ops", "box_ops", "point_ops", "poly_ops", "circle_ops"},
    # pgvector: HNSW has no default operator class at all; IVFFlat only for vector (L2).
    "ivfflat": {"vector_l2_ops"},
}


def _is_default_opclass(method: str, opclass: str) -> bool:
    if method in ("btree", "hash"):
        return "pattern" not in opclass
    if method == "brin":
        return opclass.endswith("_minmax_ops") or opclass.endswith("_inclusion_ops")
    return opclass in _DEFAULT_OPCLASSES.get(method, set())


def _svals(items: list[Any] | None) -> list[str]:
    return [item.get("String", {}).get("sval", "") for item in items or [] if isinstance(item, dict)]


def _rangevar(rv: dict[str, Any]) -> tuple[str, str]:
    return rv.get("schemaname") or DEFAULT_SCHEMA, rv.get("relname", "")


def _fk_action(code: str | None) -> FkAction:
    return _FK_ACTIONS.get(code or "a", "no action")


class _Builder:
    """Applies statements to a dictionary of tables, choosing default names like PostgreSQL."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, str], Table] = {}
        self.relnames: dict[str, set[str]] = {}  # per schema: tables, indexes, sequences
        self.connames: dict[str, set[str]] = {}  # per schema: constraint names
        self.warnings: list[str] = []
        self.partitions: set[tuple[str, str]] = set()  # left out of the model, like the catalog loader does
        self.index_tables: dict[tuple[str, str], Table] = {}  # (schema, index name) -> its table
        self.where = ""

    # -- bookkeeping -------------------------------------------------------------------------------
    def _rel(self, schema: str) -> set[str]:
        return self.relnames.setdefault(schema, set())

    def _con(self, schema: str) -> set[str]:
        return self.connames.setdefault(schema, set())

    def _warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}: {message}" if self.where else message)

    def _table(self, rv: dict[str, Any], *, missing_ok: bool = False) -> Table | None:
        key = _rangevar(rv)
        table = self.tables.get(key)
        if table is None and not missing_ok and key not in self.partitions:
            self._warn(f"statement on unknown table {key[0]}.{key[1]} skipped")
        return table

    def _index_by_name(self, schema: str, name: str) -> tuple[Table, Index] | None:
        # Every index added or renamed is registered in index_tables; entries left behind by drops are
        # harmless because the table is checked to still hold an index of that name.
        table = self.index_tables.get((schema, name))
        if table is None or self.tables.get((table.schema_name, table.name)) is not table:
            return None
        index = next((i for i in table.indexes if i.name == name), None)
        return (table, index) if index is not None else None

    def _register_index(self, table: Table, index: Index) -> None:
        table.indexes.append(index)
        self.index_tables[(table.schema_name, index.name)] = table

    # -- statements ---------------------------------------------------------------------------------
    def apply(self, kind: str, stmt: dict[str, Any]) -> None:
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(stmt)

    def _on_CreateStmt(self, stmt: dict[str, Any]) -> None:
        schema, name = _rangevar(stmt["relation"])
        if stmt.get("partbound") is not None:
            # A partition: the catalog loader leaves partitions out too (the parent carries the design).
            self._rel(schema).add(name)
            self.partitions.add((schema, name))
            return
        if (schema, name) in self.tables:
            if stmt.get("if_not_exists"):
                return
            self._warn(f"table {schema}.{name} created twice; the later definition wins")
            self._drop_table(schema, name)
        table = Table(schema=schema, name=name, partitioned=stmt.get("partspec") is not None)
        self.tables[(schema, name)] = table
        self._rel(schema).add(name)
        pending: list[dict[str, Any]] = []  # (constraint, column or None) applied after all columns exist
        for element in stmt.get("tableElts") or []:
            if "ColumnDef" in element:
                pending.extend(self._add_column(table, element["ColumnDef"]))
            elif "Constraint" in element:
                pending.append({"constraint": element["Constraint"], "column": None})
            elif "TableLikeClause" in element:
                self._copy_like(table, element["TableLikeClause"])
        self._add_constraints(table, pending, creating=True)

    def _copy_like(self, table: Table, like: dict[str, Any]) -> None:
        """LIKE source [INCLUDING ...]: columns always; defaults, identity, generation, comments on request."""
        source = self._table(like.get("relation") or {})
        if source is None:
            return
        options = int(like.get("options") or 0)
        for column in source.columns:
            copy = Column(name=column.name, type=column.type, not_null=column.not_null)
            if options & _LIKE_DEFAULTS:
                copy.default = column.default
            if options & _LIKE_IDENTITY:
                copy.identity = column.identity
            if options & _LIKE_GENERATED:
                copy.generated = column.generated
            if options & _LIKE_COMMENTS:
                copy.comment = column.comment
            table.columns.append(copy)
        if options & (_LIKE_CONSTRAINTS | _LIKE_INDEXES):
            self._warn(f"LIKE {source.qualified}: copied constraints and indexes are not modelled")

    def _add_column(self, table: Table, coldef: dict[str, Any]) -> list[dict[str, Any]]:
        name = coldef.get("colname", "")
        type_name = coldef.get("typeName") or {}
        _, internal = type_parts(type_name)
        column = Column(name=name, type=format_type(type_name))
        if internal in SERIAL_TYPES and not type_name.get("arrayBounds"):
            seq = choose_name(table.name, name, "seq", self._rel(table.schema_name))
            qualified = seq if table.schema_name == DEFAULT_SCHEMA else f"{table.schema_name}.{seq}"
            column.default = f"nextval('{qualified}'::regclass)"
            column.not_null = True
        if coldef.get("raw_default") is not None:
            column.default = deparse(coldef["raw_default"])
        pending: list[dict[str, Any]] = []
        for item in coldef.get("constraints") or []:
            con = item.get("Constraint", {})
            contype = con.get("contype")
            if contype == "CONSTR_NOTNULL":
                column.not_null = True
            elif contype == "CONSTR_NULL":
                column.not_null = False
            elif contype == "CONSTR_DEFAULT":
                column.default = deparse(con.get("raw_expr"))
            elif contype == "CONSTR_IDENTITY":
                column.identity = "always" if con.get("generated_when") == "a" else "by default"
                column.not_null = True
            elif contype == "CONSTR_GENERATED":
                column.generated = deparse(con.get("raw_expr"))
            elif contype in ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_CHECK", "CONSTR_FOREIGN"):
                pending.append({"constraint": con, "column": name})
        table.columns.append(column)
        return pending

    def _add_constraints(self, table: Table, pending: list[dict[str, Any]], *, creating: bool = False) -> None:
        # PostgreSQL names CHECKs first (at heap creation), then the primary key and unique indexes,
        # then foreign keys; follow that order so default names get the same numbering.
        checks = [p for p in pending if p["constraint"].get("contype") == "CONSTR_CHECK"]
        primary = [p for p in pending if p["constraint"].get("contype") == "CONSTR_PRIMARY"]
        unique = [p for p in pending if p["constraint"].get("contype") in ("CONSTR_UNIQUE", "CONSTR_EXCLUSION")]
        foreign = [p for p in pending if p["constraint"].get("contype") == "CONSTR_FOREIGN"]
        if creating:
            unique = self._merge_duplicate_keys(primary, unique)
        for item in checks + primary + unique + foreign:
            self._add_constraint(table, item["constraint"], item["column"], creating)

    @staticmethod
    def _merge_duplicate_keys(primary: list[dict[str, Any]], unique: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """CREATE TABLE keeps one index per identical key list (UNIQUE next to PRIMARY KEY, repeated UNIQUE),
        moving a name given to the dropped copy onto the kept one, as transformIndexConstraints does."""

        def signature(item: dict[str, Any]) -> tuple[object, ...]:
            con = item["constraint"]
            cols = _svals(con.get("keys")) or ([item["column"]] if item["column"] else [])
            return (tuple(cols), tuple(_svals(con.get("including"))), con.get("contype") == "CONSTR_EXCLUSION")

        kept: list[dict[str, Any]] = list(primary)
        for item in unique:
            prior = next((k for k in kept if signature(k) == signature(item)), None)
            if prior is None:
                kept.append(item)
            elif not prior["constraint"].get("conname") and item["constraint"].get("conname"):
                prior["constraint"] = {**prior["constraint"], "conname": item["constraint"]["conname"]}
        return kept[len(primary) :]

    def _add_constraint(self, table: Table, con: dict[str, Any], column: str | None, creating: bool) -> None:
        contype = con.get("contype")
        schema = table.schema_name
        given = con.get("conname")
        # NOT VALID only means something in ALTER TABLE: a new table's constraints are checked at once.
        validated = creating or not con.get("skip_validation", False)
        if contype == "CONSTR_CHECK":
            refs = column_refs(con.get("raw_expr"))
            name = given or choose_name(table.name, refs[0] if len(refs) == 1 else None, "check", self._con(schema))
            self._con(schema).add(name)
            table.constraints.append(
                Constraint(
                    name=name,
                    kind="check",
                    columns=refs,
                    expression=deparse(con.get("raw_expr")),
                    validated=validated,
                )
            )
        elif contype in ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION"):
            self._add_index_constraint(table, con, column)
        elif contype == "CONSTR_FOREIGN":
            columns = _svals(con.get("fk_attrs")) or ([column] if column else [])
            name = given or choose_name(table.name, index_column_label(columns), "fkey", self._con(schema))
            self._con(schema).add(name)
            ref_schema, ref_table = _rangevar(con.get("pktable") or {})
            table.constraints.append(
                Constraint(
                    name=name,
                    kind="foreign_key",
                    columns=columns,
                    ref_schema=ref_schema,
                    ref_table=ref_table,
                    ref_columns=_svals(con.get("pk_attrs")),
                    on_delete=_fk_action(con.get("fk_del_action")),
                    on_update=_fk_action(con.get("fk_upd_action")),
                    validated=validated,
                )
            )

    def _add_index_constraint(self, table: Table, con: dict[str, Any], column: str | None) -> None:
        contype = con.get("contype")
        schema = table.schema_name
        kind = {"CONSTR_PRIMARY": "primary_key", "CONSTR_UNIQUE": "unique"}.get(contype or "", "exclusion")
        if con.get("indexname"):  # ADD PRIMARY KEY / UNIQUE USING INDEX: the index becomes the constraint
            found = self._index_by_name(schema, con["indexname"])
            if found is None:
                self._warn(f"index {con['indexname']} not found for {kind} constraint")
                return
            _, index = found
            name = con.get("conname") or index.name
            self._rel(schema).discard(index.name)
            self._rel(schema).add(name)
            index.name, index.constraint = name, name
            self.index_tables[(schema, name)] = found[0]
            index.primary = kind == "primary_key"
            index.unique = True
            columns = [c for c in index.key_columns if c]
        else:
            keys: list[IndexKey]
            if kind == "exclusion":
                elems = [
                    pair["List"]["items"][0].get("IndexElem", {})
                    for pair in con.get("exclusions") or []
                    if isinstance(pair, dict) and pair.get("List", {}).get("items")
                ]
                keys = [
                    IndexKey(column=e["name"]) if e.get("name") else IndexKey(expression=deparse(e.get("expr")))
                    for e in elems
                ]
                columns = [e["name"] for e in elems if e.get("name")]
                labels = [e.get("name") or _figure_colname(e.get("expr")) for e in elems]
            else:
                columns = _svals(con.get("keys")) or ([column] if column else [])
                keys = [IndexKey(column=c) for c in columns]
                labels = list(columns)
            include = _svals(con.get("including"))
            label = {"primary_key": "pkey", "unique": "key", "exclusion": "excl"}[kind]
            name2 = None if kind == "primary_key" else index_column_label(labels + include)
            name = con.get("conname") or choose_name(table.name, name2, label, self._rel(schema), self._con(schema))
            self._rel(schema).add(name)
            self._register_index(
                table,
                Index(
                    name=name,
                    method=con.get("access_method") or "btree",
                    keys=keys,
                    include=include,
                    unique=kind != "exclusion",
                    primary=kind == "primary_key",
                    constraint=name,
                    predicate=deparse(con["where_clause"]) if con.get("where_clause") else None,
                ),
            )
        self._con(schema).add(name)
        if kind == "primary_key":
            for col in table.columns:
                if col.name in columns:
                    col.not_null = True
        table.constraints.append(Constraint(name=name, kind=kind, columns=columns))

    def _on_IndexStmt(self, stmt: dict[str, Any]) -> None:
        table = self._table(stmt["relation"])
        if table is None:
            return
        schema = table.schema_name
        method = stmt.get("accessMethod") or "btree"
        keys: list[IndexKey] = []
        label_names: list[str] = []
        for param in stmt.get("indexParams") or []:
            elem = param.get("IndexElem", {})
            opclass_names = _svals(elem.get("opclass"))
            opclass = opclass_names[-1] if opclass_names else None
            if opclass and _is_default_opclass(method, opclass):
                opclass = None
            descending = elem.get("ordering") == "SORTBY_DESC"
            if elem.get("name"):
                keys.append(IndexKey(column=elem["name"], opclass=opclass, descending=descending))
                label_names.append(elem["name"])
            else:
                expr = elem.get("expr")
                keys.append(IndexKey(expression=deparse(expr), opclass=opclass, descending=descending))
                label_names.append(_figure_colname(expr))
        include = [p.get("IndexElem", {}).get("name", "") for p in stmt.get("indexIncludingParams") or []]
        name = stmt.get("idxname")
        if name and self._index_by_name(schema, name) is not None:
            if stmt.get("if_not_exists"):
                return
            self._warn(f"index {schema}.{name} created twice; the later definition wins")
            self._drop_index(schema, name)
        if not name:
            name = choose_name(table.name, index_column_label(label_names + include), "idx", self._rel(schema))
        self._rel(schema).add(name)
        self._register_index(
            table,
            Index(
                name=name,
                method=method,
                keys=keys,
                include=include,
                unique=bool(stmt.get("unique")),
                predicate=deparse(stmt["whereClause"]) if stmt.get("whereClause") else None,
            ),
        )

    def _on_AlterTableStmt(self, stmt: dict[str, Any]) -> None:
        if stmt.get("objtype", "OBJECT_TABLE") not in ("OBJECT_TABLE", "OBJECT_INDEX"):
            return
        if stmt.get("objtype") == "OBJECT_INDEX":
            return  # ALTER INDEX ... SET (...) etc. changes nothing the model holds
        table = self._table(stmt["relation"], missing_ok=bool(stmt.get("missing_ok")))
        if table is None:
            return
        for item in stmt.get("cmds") or []:
            self._alter(table, item.get("AlterTableCmd", {}))

    def _alter(self, table: Table, cmd: dict[str, Any]) -> None:
        subtype = cmd.get("subtype", "")
        name = cmd.get("name")
        column = table.column(name) if name else None
        definition = cmd.get("def") or {}
        if subtype == "AT_AddColumn":
            coldef = definition.get("ColumnDef", {})
            if table.column(coldef.get("colname", "")) is not None:
                if not cmd.get("missing_ok"):
                    self._warn(f"column {coldef.get('colname')} already exists in {table.qualified}")
                return
            self._add_constraints(table, self._add_column(table, coldef), creating=False)
        elif subtype == "AT_AddConstraint":
            self._add_constraints(table, [{"constraint": definition.get("Constraint", {}), "column": None}])
        elif subtype == "AT_DropConstraint":
            self._drop_constraint(table, name or "")
        elif subtype == "AT_ValidateConstraint":
            for con in table.constraints:
                if con.name == name:
                    con.validated = True
        elif subtype == "AT_EnableRowSecurity":
            table.rls_enabled = True
        elif subtype == "AT_DisableRowSecurity":
            table.rls_enabled = False
        elif subtype == "AT_ForceRowSecurity":
            table.rls_forced = True
        elif subtype == "AT_NoForceRowSecurity":
            table.rls_forced = False
        elif column is None:
            if subtype.startswith("AT_") and name and not cmd.get("missing_ok"):
                self._warn(f"column {name} not found in {table.qualified}")
        elif subtype == "AT_DropColumn":
            self._drop_column(table, column.name)
        elif subtype == "AT_SetNotNull":
            column.not_null = True
        elif subtype == "AT_DropNotNull":
            column.not_null = False
        elif subtype == "AT_AlterColumnType":
            column.type = format_type(definition.get("ColumnDef", {}).get("typeName") or {})
        elif subtype == "AT_ColumnDefault":
            column.default = deparse(definition) if definition else None
        elif subtype == "AT_AddIdentity":
            con = definition.get("Constraint", {})
            column.identity = "always" if con.get("generated_when") == "a" else "by default"
            column.not_null = True
        elif subtype == "AT_DropIdentity":
            column.identity = None
        elif subtype == "AT_DropExpression":
            column.generated = None

    def _drop_constraint(self, table: Table, name: str) -> None:
        table.constraints = [c for c in table.constraints if c.name != name]
        table.indexes = [i for i in table.indexes if i.constraint != name]
        self._con(table.schema_name).discard(name)
        self._rel(table.schema_name).discard(name)

    def _drop_column(self, table: Table, name: str) -> None:
        table.columns = [c for c in table.columns if c.name != name]
        # Indexes and constraints of the table that use the column go with it, as in PostgreSQL.
        for index in list(table.indexes):
            used = {k.column for k in index.keys} | set(index.include)
            if name in used or any(name in columns_in_text(k.expression) for k in index.keys if k.expression):
                table.indexes.remove(index)
                self._rel(table.schema_name).discard(index.name)
        for con in list(table.constraints):
            if name in con.columns:
                self._drop_constraint(table, con.name)
        for other in self.tables.values():
            for con in list(other.foreign_keys):
                if (con.ref_schema, con.ref_table) == (table.schema_name, table.name) and name in con.ref_columns:
                    self._drop_constraint(other, con.name)

    def _drop_table(self, schema: str, name: str) -> None:
        table = self.tables.pop((schema, name), None)
        if table is None:
            return
        self._rel(schema).discard(name)
        for index in table.indexes:
            self._rel(schema).discard(index.name)
        for con in table.constraints:
            self._con(schema).discard(con.name)
        for other in self.tables.values():
            for con in list(other.foreign_keys):
                if (con.ref_schema, con.ref_table) == (schema, name):
                    self._drop_constraint(other, con.name)

    def _drop_index(self, schema: str, name: str) -> None:
        found = self._index_by_name(schema, name)
        if found is not None:
            table, index = found
            table.indexes.remove(index)
            self._rel(schema).discard(name)

    def _on_DropStmt(self, stmt: dict[str, Any]) -> None:
        kind = stmt.get("removeType")
        for obj in stmt.get("objects") or []:
            names = _svals(obj.get("List", {}).get("items")) if isinstance(obj, dict) else []
            if not names:
                continue
            if kind == "OBJECT_TABLE":
                schema, name = (names[-2], names[-1]) if len(names) > 1 else (DEFAULT_SCHEMA, names[-1])
                if (schema, name) not in self.tables and not stmt.get("missing_ok"):
                    self._warn(f"DROP TABLE of unknown table {schema}.{name}")
                self._drop_table(schema, name)
            elif kind == "OBJECT_INDEX":
                schema, name = (names[-2], names[-1]) if len(names) > 1 else (DEFAULT_SCHEMA, names[-1])
                self._drop_index(schema, name)
            elif kind == "OBJECT_POLICY" and len(names) >= 2:
                policy = names[-1]
                table_names = names[:-1]
                schema = table_names[-2] if len(table_names) > 1 else DEFAULT_SCHEMA
                table = self.tables.get((schema, table_names[-1]))
                if table is not None:
                    table.policies = [p for p in table.policies if p.name != policy]

    def _on_RenameStmt(self, stmt: dict[str, Any]) -> None:
        kind = stmt.get("renameType")
        new = stmt.get("newname", "")
        rv = stmt.get("relation") or {}
        schema, relname = _rangevar(rv)
        if kind == "OBJECT_TABLE":
            table = self._table(rv, missing_ok=bool(stmt.get("missing_ok")))
            if table is None:
                return
            del self.tables[(schema, relname)]
            table.name = new
            self.tables[(schema, new)] = table
            self._rel(schema).discard(relname)
            self._rel(schema).add(new)
            for other in self.tables.values():
                for con in other.foreign_keys:
                    if (con.ref_schema, con.ref_table) == (schema, relname):
                        con.ref_table = new
        elif kind == "OBJECT_COLUMN" and stmt.get("relationType") == "OBJECT_TABLE":
            table = self._table(rv, missing_ok=bool(stmt.get("missing_ok")))
            old = stmt.get("subname", "")
            column = table.column(old) if table else None
            if table is None or column is None:
                return
            column.name = new
            for con in table.constraints:
                con.columns = [new if c == old else c for c in con.columns]
            for index in table.indexes:
                for key in index.keys:
                    if key.column == old:
                        key.column = new
                index.include = [new if c == old else c for c in index.include]
            for other in self.tables.values():
                for con in other.foreign_keys:
                    if (con.ref_schema, con.ref_table) == (schema, table.name):
                        con.ref_columns = [new if c == old else c for c in con.ref_columns]
        elif kind == "OBJECT_INDEX":
            found = self._index_by_name(schema, relname)
            if found is None:
                return
            table, index = found
            self._rename_index_and_constraint(table, index.name, new)
        elif kind == "OBJECT_TABCONSTRAINT":
            table = self._table(rv, missing_ok=bool(stmt.get("missing_ok")))
            if table is not None:
                self._rename_index_and_constraint(table, stmt.get("subname", ""), new)

    def _rename_index_and_constraint(self, table: Table, old: str, new: str) -> None:
        schema = table.schema_name
        for index in table.indexes:
            if index.name == old:
                index.name = new
                self.index_tables[(schema, new)] = table
                self._rel(schema).discard(old)
                self._rel(schema).add(new)
                if index.constraint == old:
                    index.constraint = new
        for con in table.constraints:
            if con.name == old:
                con.name = new
                self._con(schema).discard(old)
                self._con(schema).add(new)

    def _on_CreatePolicyStmt(self, stmt: dict[str, Any]) -> None:
        table = self._table(stmt["table"])
        if table is None:
            return
        command = stmt.get("cmd_name", "all")
        table.policies.append(
            Policy(
                name=stmt.get("policy_name", ""),
                command=command if command in _POLICY_COMMANDS else "all",
                roles=_roles(stmt.get("roles")),
                permissive=bool(stmt.get("permissive", True)),
                using=deparse(stmt["qual"]) if stmt.get("qual") else None,
                with_check=deparse(stmt["with_check"]) if stmt.get("with_check") else None,
                columns=_merge(column_refs(stmt.get("qual")), column_refs(stmt.get("with_check"))),
            )
        )

    def _on_AlterPolicyStmt(self, stmt: dict[str, Any]) -> None:
        table = self._table(stmt["table"])
        if table is None:
            return
        for policy in table.policies:
            if policy.name != stmt.get("policy_name"):
                continue
            if stmt.get("roles"):
                policy.roles = _roles(stmt["roles"])
            if stmt.get("qual"):
                policy.using = deparse(stmt["qual"])
            if stmt.get("with_check"):
                policy.with_check = deparse(stmt["with_check"])
            policy.columns = _merge(
                columns_in_text(policy.using),
                columns_in_text(policy.with_check),
            )

    def _on_CommentStmt(self, stmt: dict[str, Any]) -> None:
        kind = stmt.get("objtype")
        names = _svals((stmt.get("object") or {}).get("List", {}).get("items"))
        comment = stmt.get("comment")
        if kind == "OBJECT_TABLE" and names:
            schema = names[-2] if len(names) > 1 else DEFAULT_SCHEMA
            table = self.tables.get((schema, names[-1]))
            if table is not None:
                table.comment = comment
        elif kind == "OBJECT_COLUMN" and len(names) >= 2:
            schema = names[-3] if len(names) > 2 else DEFAULT_SCHEMA
            table = self.tables.get((schema, names[-2]))
            column = table.column(names[-1]) if table else None
            if column is not None:
                column.comment = comment

    # -- result -------------------------------------------------------------------------------------
    def finish(self, origin: list[str]) -> SchemaModel:
        for table in self.tables.values():
            for con in table.foreign_keys:
                target = self.tables.get((con.ref_schema or DEFAULT_SCHEMA, con.ref_table or ""))
                if not con.ref_columns and target is not None and target.primary_key is not None:
                    con.ref_columns = list(target.primary_key.columns)
        tables = sorted(self.tables.values(), key=lambda t: (t.schema_name, t.name))
        for table in tables:
            table.indexes.sort(key=lambda i: i.name)
            table.constraints.sort(key=lambda c: c.name)
            table.policies.sort(key=lambda p: p.name)
        return SchemaModel(source="sql", tables=tables, origin=origin, warnings=self.warnings)


def _roles(items: list[Any] | None) -> list[str]:
    roles: list[str] = []
    for item in items or []:
        spec = item.get("RoleSpec", {})
        kind = spec.get("roletype")
        if kind == "ROLESPEC_PUBLIC":
            roles.append("public")
        elif kind == "ROLESPEC_CSTRING":
            roles.append(spec.get("rolename", ""))
        else:
            roles.append(kind.removeprefix("ROLESPEC_").lower() if kind else "public")
    return sorted(roles) or ["public"]


def _merge(*lists: list[str]) -> list[str]:
    return sorted({name for names in lists for name in names})


def _figure_colname(expr: Any) -> str:
    """FigureIndexColname(): a function call gives its name, anything else `expr`."""
    if isinstance(expr, dict) and "FuncCall" in expr:
        names = _svals(expr["FuncCall"].get("funcname"))
        if names:
            return names[-1]
    return "expr"


def model_from_sql_texts(texts: Iterable[tuple[str, str]]) -> SchemaModel:
    """Apply (label, sql) pairs in order and return the model; bad SQL raises InvalidInput."""
    builder = _Builder()
    origin: list[str] = []
    for label, sql in texts:
        origin.append(label)
        try:
            tree = json.loads(parse_sql_json(sql))
        except ParseError as exc:
            offset = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
            line = sql.encode()[:offset].count(_NEWLINE) + 1
            raise InvalidInput(f"{label}: SQL does not parse near line {line}: {exc.args[0]}") from None
        data = sql.encode()  # statement locations are byte offsets
        line, counted = 1, 0
        for raw in tree.get("stmts", []):
            ((kind, stmt),) = raw["stmt"].items()
            location = raw.get("stmt_location", 0)
            line += data.count(b"\n", counted, location)
            counted = location
            # A location may point at the whitespace before the statement; report its first token's line.
            lead = data[location : location + (raw.get("stmt_len") or len(data))]
            skipped = len(lead) - len(lead.lstrip())
            builder.where = f"{label}:{line + lead.count(_NEWLINE, 0, skipped)}"
            builder.apply(kind, stmt)
    return builder.finish(origin)


def _looks_like_path(text: str) -> bool:
    # SQL always has whitespace between keywords; a lone token ending in .sql (or naming a folder) is a path.
    token = text.strip()
    if not token or len(token) > 4_096 or "\x00" in token or any(c.isspace() for c in token):
        return False
    if token.endswith(".sql"):
        return True
    try:
        return Path(token).is_dir()
    except (OSError, ValueError):  # e.g. a name too long for the filesystem: then it is SQL text
        return False


def _read_sources(sources: Iterable[str | Path]) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for number, source in enumerate(sources, start=1):
        if isinstance(source, str) and _looks_like_path(source):
            source = Path(source.strip())
        if isinstance(source, Path):
            paths = [path for path, _ in expand_paths([source], (".sql",))]
            if not paths:
                raise NotFound(f"{source}: no .sql files found")
            texts.extend((str(path), read_text_file(path)) for path in paths)
        else:
            texts.append((f"<sql {number}>", source))
    return texts


def load_model_from_sql(texts_or_files: Iterable[str | Path] | str | Path) -> SchemaModel:
    """The schema model of SQL strings and/or files, applied in the order given.

    A `Path` (or a string that is a single `*.sql` path or a folder) is read from disk; a folder means its
    `*.sql` files, recursively, in name order. Any other string is SQL text.
    """
    if isinstance(texts_or_files, (str, Path)):
        texts_or_files = [texts_or_files]
    return model_from_sql_texts(_read_sources(texts_or_files))
