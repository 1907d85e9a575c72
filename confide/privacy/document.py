"""The export document: small helpers for handlers, and its readable HTML form.

Pure functions over plain JSON-able values; no database. `export_tree` turns the document into
nodes that one recursive template renders, with Django's autoescaping on every value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

SCHEMA_NAME = "confide-export"
SCHEMA_VERSION = 1
_MAX_DEPTH = 8


def iso(value: datetime | date | None) -> str | None:
    """A date or an aware time as ISO 8601 text (times in UTC), or None."""
    if value is None:
        return None
    return value.isoformat()


@dataclass
class Node:
    """One value of the document: `text` for a scalar, `entries` for a mapping (label, node),
    `items` for a list."""

    kind: str
    text: str = ""
    entries: list[tuple[str, Node]] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)


def label(key: str) -> str:
    """`shared_checkins` -> `Shared checkins`: the document's keys, readable."""
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _scalar(value: Any) -> str:
    if value is None:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def export_tree(value: Any, *, depth: int = 0) -> Node:
    if depth > _MAX_DEPTH:
        return Node("text", text="…")
    if isinstance(value, Mapping):
        return Node(
            "map",
            entries=[
                (label(str(key)), export_tree(item, depth=depth + 1)) for key, item in value.items()
            ],
        )
    if isinstance(value, list | tuple):
        if not value:
            return Node("text", text="—")
        return Node("list", items=[export_tree(item, depth=depth + 1) for item in value])
    return Node("text", text=_scalar(value))
