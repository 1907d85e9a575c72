"""A small JSON Schema checker for the export's schema (docs/export-schema.json).

It understands the keywords that schema uses: type, required, properties,
additionalProperties, items, enum, const, minimum and format "date-time"/"date". A keyword it
does not know is an error, so the schema cannot quietly say more than is checked.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "export-schema.json"

_KNOWN = frozenset(
    {
        "$schema",
        "$id",
        "title",
        "description",
        "type",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "minimum",
        "format",
    }
)
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is(value: Any, name: str) -> bool:
    if name in {"integer", "number"} and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def _format_ok(value: str, fmt: str) -> bool:
    try:
        if fmt == "date-time":
            return datetime.fromisoformat(value).tzinfo is not None
        if fmt == "date":
            date.fromisoformat(value)
            return True
    except ValueError:
        return False
    raise ValueError(f"unknown format {fmt!r}")


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:  # noqa: C901, PLR0912
    """Every way `value` breaks `schema`, as "path: problem" lines; empty when it conforms."""
    unknown = set(schema) - _KNOWN
    if unknown:
        return [f"{path}: schema uses unknown keywords {sorted(unknown)}"]
    errors: list[str] = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(value, name) for name in types):
            return [f"{path}: expected {'/'.join(types)}, got {type(value).__name__}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: expected {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and _is(value, "number") and value < schema["minimum"]:
        errors.append(f"{path}: below {schema['minimum']}")
    if "format" in schema and isinstance(value, str) and not _format_ok(value, schema["format"]):
        errors.append(f"{path}: not a {schema['format']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{path}: missing {name!r}")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            where = f"{path}.{name}"
            if name in properties:
                errors += validate(item, properties[name], where)
            elif extra is False:
                errors.append(f"{where}: not allowed")
            elif isinstance(extra, dict):
                errors += validate(item, extra, where)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += validate(item, schema["items"], f"{path}[{index}]")
    return errors
