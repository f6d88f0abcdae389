"""Shared plumbing for the catalog, stats and health tools: SQL files, read-only runs, compact models.

Each query lives in a `sql/<name>.sql` file next to the code that uses it and is read once through
importlib.resources, so the SQL ships with the package and is never assembled from user input.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any, TypeVar

import asyncpg
from pydantic import BaseModel, SerializerFunctionWrapHandler, model_serializer

from .database import Database

__all__ = ["CompactModel", "clip", "json_size", "jsonable", "load_sql", "read_only", "shrink_lists"]

T = TypeVar("T")

# "schema" is the natural field name for PostgreSQL objects; it only shadows pydantic's deprecated
# BaseModel.schema() classmethod, which nothing here calls.
warnings.filterwarnings("ignore", message='Field name "schema" in ".*" shadows', category=UserWarning)


@functools.cache
def load_sql(package: str, name: str) -> str:
    """The text of `<package>/sql/<name>.sql` (e.g. load_sql("pgsage.tools.catalog", "columns"))."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


async def read_only(db: Database, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    """Run `work` inside a READ ONLY transaction that is never committed with changes.

    The catalog tools only read, but the transaction makes that a server-enforced fact, and it gives
    every query of one tool call the same snapshot-consistent view of a catalog that may be changing.
    """

    async def wrapped(conn: asyncpg.Connection) -> T:
        async with conn.transaction(readonly=True):
            return await work(conn)

    return await db.run(wrapped)


def clip(text: str | None, limit: int) -> str | None:
    """`text` cut to `limit` characters with a marker, so an agent knows it saw only part of it."""
    if text is None or len(text) <= limit:
        return text
    return text[: max(limit - 15, 0)] + " …[truncated]"


class CompactModel(BaseModel):
    """A model whose JSON leaves out optional null fields and empty lists/dicts: agents pay for every token."""

    # No return annotation on purpose: pydantic would otherwise publish `dict` as the output schema
    # instead of the model's fields.
    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data = handler(self)
        if not isinstance(data, dict):
            return data
        fields = type(self).model_fields
        # Only optional fields are dropped: required ones stay, or output-schema validation would fail.
        return {
            k: v
            for k, v in data.items()
            if not (v is None or v == [] or v == {}) or (k in fields and fields[k].is_required())
        }


def json_size(model: BaseModel) -> int:
    return len(model.model_dump_json())


def shrink_lists(model: BaseModel, fields: tuple[str, ...], max_bytes: int) -> bool:
    """Drop items from the longest of `fields` until the model's JSON fits `max_bytes`.

    Returns True when something was dropped (the caller then sets `truncated`).
    """
    dropped = False
    while json_size(model) > max_bytes:
        lists = [(len(getattr(model, f)), f) for f in fields if getattr(model, f)]
        if not lists:
            break
        _, longest = max(lists)
        items = getattr(model, longest)
        # Halve big lists instead of popping one by one: each size check serialises the whole model.
        keep = len(items) // 2 if len(items) > 8 else len(items) - 1
        setattr(model, longest, items[:keep])
        dropped = True
    return dropped


def jsonable(value: Any) -> Any:
    """A PostgreSQL json/jsonb column as Python (asyncpg returns json as text)."""
    return json.loads(value) if isinstance(value, str) else value
