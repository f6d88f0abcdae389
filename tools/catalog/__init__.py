"""Catalog tools: database overview, object inventory, object description and live activity.

One query per file in `sql/`, loaded with importlib.resources; thin Python per object returning
pydantic models. Every read runs in a READ ONLY transaction through `Database.run`.
"""

from .activity import Activity, activity
from .describe import ObjectDescription, describe_object
from .objects import KINDS, ObjectList, ObjectSummary, list_objects
from .overview import DbOverview, db_overview

__all__ = [
    "KINDS",
    "Activity",
    "DbOverview",
    "ObjectDescription",
    "ObjectList",
    "ObjectSummary",
    "activity",
    "db_overview",
    "describe_object",
    "list_objects",
]
