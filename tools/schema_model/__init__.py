"""One schema model, two sources: the live catalog (`load_model_from_db`) and SQL files (`load_model_from_sql`)."""

from .from_catalog import load_model_from_connection, load_model_from_db
from .from_sql import load_model_from_sql
from .model import Column, Constraint, Index, IndexKey, Policy, SchemaModel, Table

__all__ = [
    "Column",
    "Constraint",
    "Index",
    "IndexKey",
    "Policy",
    "SchemaModel",
    "Table",
    "load_model_from_connection",
    "load_model_from_db",
    "load_model_from_sql",
]
