"""Instrument files: questionnaires as data (TOML), parsed and checked with line numbers.

A pure module: no database and no settings. `registry.py` finds the files; `scoring.py`
scores answers to the `Instrument`s made here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from confide.measures.tomlpos import KeyLines
from confide.measures.tomlpos import Path as KeyPath

AUDIENCES = ("person", "pair", "circle member")
CADENCES = ("daily", "weekly", "fortnightly", "monthly", "occasion")
METHODS = ("mean", "sum")
WIDGETS = ("choices", "circles")
TOTAL = "total"
MAX_TEXT = 500
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

TOP_KEYS = frozenset(
    {
        "id",
        "version",
        "title",
        "instructions",
        "audience",
        "cadence",
        "higher_is_better",
        "widget",
        "license",
        "source",
        "scale",
        "items",
        "scoring",
        "subscales",
        "norms",
    }
)
SCALE_KEYS = frozenset({"min", "max", "anchors"})
ANCHOR_KEYS = frozenset({"value", "label"})
ITEM_KEYS = frozenset({"id", "text"})
SCORING_KEYS = frozenset({"method", "reverse", "max_missing", "prorate", "range"})
SUBSCALE_KEYS = frozenset({"id", "title", "items", "max_missing"})
NORMS_KEYS = frozenset({"sd", "reliability", "source"})


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class InstrumentError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Item:
    id: str
    text: str


@dataclass(frozen=True)
class Scale:
    """One scale (the total or a subscale): which items, how many may be missing."""

    id: str
    title: str
    items: tuple[str, ...]
    max_missing: int


@dataclass(frozen=True)
class Norms:
    sd: float
    reliability: float
    source: str = ""


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    title: str
    instructions: str
    audience: str
    cadence: str
    higher_is_better: bool
    widget: str
    points: tuple[tuple[int, str], ...]  # (value, label) for each point of the response scale
    items: tuple[Item, ...]
    method: str
    reverse: frozenset[str]
    prorate: bool
    range: tuple[float, float]
    scales: tuple[Scale, ...]  # the total first, then subscales
    norms: Norms | None = None
    license: str = ""
    source: str = ""
    item_ids: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "item_ids", frozenset(i.id for i in self.items))

    @property
    def low(self) -> int:
        return self.points[0][0]

    @property
    def high(self) -> int:
        return self.points[-1][0]

    @property
    def total(self) -> Scale:
        return self.scales[0]

    def scale_range(self, scale: Scale) -> tuple[float, float]:
        if self.method == "mean":
            return (float(self.low), float(self.high))
        return (float(self.low * len(scale.items)), float(self.high * len(scale.items)))


class _Checker:
    def __init__(self, source: str) -> None:
        self.lines = KeyLines(source)
        self.problems: list[Problem] = []

    def fail(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.lines.line_of(path), message))

    def unknown(self, table: dict[str, Any], allowed: frozenset[str], path: KeyPath) -> None:
        for key in table:
            if key not in allowed:
                where = ".".join(map(str, (*path, key)))
                self.fail((*path, key), f"unknown key {where!r}")

    def get(
        self,
        table: dict[str, Any],
        path: KeyPath,
        key: str,
        kind: type | tuple[type, ...],
        *,
        default: Any = None,
        required: bool = True,
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        name = ".".join(map(str, (*path, key)))
        if key not in table:
            if required:
                self.fail(path, f"{name!r} is missing")
            return default
        value = table[key]
        # bool is an int in Python, but `true` is never a number in a file.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            self.fail((*path, key), f"{name!r} must be {_kind_name(kind)}")
            return default
        if check is not None:
            message = check(value)
            if message:
                self.fail((*path, key), f"{name!r} {message}")
                return default
        return value


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def _text(value: str) -> str | None:
    if not value.strip():
        return "must not be empty"
    return f"must be at most {MAX_TEXT} characters" if len(value) > MAX_TEXT else None


def _slug(value: str) -> str | None:
    if _ID.match(value):
        return None
    return "must be 1-40 lowercase letters, digits or hyphens"


def _one_of(options: tuple[str, ...]) -> Callable[[str], str | None]:
    return lambda value: None if value in options else f"must be one of {', '.join(options)}"


def _parse_scale(c: _Checker, data: dict[str, Any]) -> tuple[tuple[int, str], ...]:
    scale = c.get(data, (), "scale", dict, default={})
    c.unknown(scale, SCALE_KEYS, ("scale",))
    low = c.get(scale, ("scale",), "min", int)
    high = c.get(scale, ("scale",), "max", int)
    if low is None or high is None:
        return ()
    if high - low + 1 < 2:  # noqa: PLR2004 - a scale needs two points to say anything
        c.fail(("scale", "max"), "the response scale needs at least two points (max > min)")
        return ()
    labels: dict[int, str] = {}
    for index, anchor in enumerate(c.get(scale, ("scale",), "anchors", list, default=[])):
        path: KeyPath = ("scale", "anchors", index)
        if not isinstance(anchor, dict):
            c.fail(("scale", "anchors"), "each anchor must be a table with value and label")
            continue
        c.unknown(anchor, ANCHOR_KEYS, path)
        value = c.get(anchor, path, "value", int)
        label = c.get(anchor, path, "label", str, check=_text)
        if value is None or label is None:
            continue
        if not low <= value <= high:
            c.fail((*path, "value"), f"anchor value {value} is outside the scale {low}-{high}")
        elif value in labels:
            c.fail((*path, "value"), f"anchor value {value} is labelled twice")
        else:
            labels[value] = label
    missing = [v for v in range(low, high + 1) if v not in labels]
    if missing:
        c.fail(("scale",), f"every point needs a label; unlabelled: {missing}")
    return tuple((v, labels.get(v, str(v))) for v in range(low, high + 1))


def _parse_items(c: _Checker, data: dict[str, Any]) -> tuple[Item, ...]:
    items: list[Item] = []
    raw = c.get(data, (), "items", list, default=[])
    if "items" in data and not raw:
        c.fail(("items",), "an instrument needs at least one item")
    for index, entry in enumerate(raw):
        path: KeyPath = ("items", index)
        if not isinstance(entry, dict):
            c.fail(("items",), "each item must be a table ([[items]])")
            continue
        c.unknown(entry, ITEM_KEYS, path)
        item_id = c.get(entry, path, "id", str, check=_slug)
        text = c.get(entry, path, "text", str, check=_text)
        if item_id is None or text is None:
            continue
        if any(i.id == item_id for i in items):
            c.fail((*path, "id"), f"item id {item_id!r} is used twice")
            continue
        items.append(Item(item_id, text))
    return tuple(items)


def _known_items(c: _Checker, ids: list[Any], known: set[str], path: KeyPath, what: str) -> bool:
    ok = True
    for item_id in ids:
        if item_id not in known:
            c.fail(path, f"{what} names item {item_id!r}, which does not exist")
            ok = False
    return ok


def _parse_subscales(
    c: _Checker, data: dict[str, Any], known: set[str], method: str | None
) -> list[Scale]:
    scales: list[Scale] = []
    for index, entry in enumerate(c.get(data, (), "subscales", list, default=[], required=False)):
        path: KeyPath = ("subscales", index)
        if not isinstance(entry, dict):
            c.fail(("subscales",), "each subscale must be a table ([[subscales]])")
            continue
        c.unknown(entry, SUBSCALE_KEYS, path)
        scale_id = c.get(entry, path, "id", str, check=_slug)
        title = c.get(entry, path, "title", str, check=_text)
        ids = c.get(entry, path, "items", list, default=[])
        allowed = c.get(entry, path, "max_missing", int, default=0, required=False)
        if scale_id == TOTAL or any(s.id == scale_id for s in scales):
            c.fail((*path, "id"), f"subscale id {scale_id!r} is already used")
            continue
        if not ids:
            c.fail((*path, "items"), "a subscale needs at least one item")
            continue
        if scale_id is None or title is None:
            continue
        if not _known_items(c, ids, known, (*path, "items"), "the subscale"):
            continue
        if not 0 <= allowed < len(ids):
            c.fail((*path, "max_missing"), "max_missing must be at least 0 and below the items")
            continue
        if method == "sum" and allowed and not data.get("scoring", {}).get("prorate", True):
            c.fail((*path, "max_missing"), "a sum with missing items must be prorated")
        scales.append(Scale(scale_id, title, tuple(ids), allowed))
    return scales


def _parse_norms(c: _Checker, data: dict[str, Any]) -> Norms | None:
    norms = c.get(data, (), "norms", dict, required=False)
    if norms is None:
        return None
    c.unknown(norms, NORMS_KEYS, ("norms",))
    sd = c.get(
        norms,
        ("norms",),
        "sd",
        (int, float),
        check=lambda v: None if v > 0 else "must be above 0",
    )
    reliability = c.get(
        norms,
        ("norms",),
        "reliability",
        (int, float),
        check=lambda v: None if 0 < v < 1 else "must be between 0 and 1 (exclusive)",
    )
    source = c.get(norms, ("norms",), "source", str, default="", required=False)
    if sd is None or reliability is None:
        return None
    return Norms(float(sd), float(reliability), source)


_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


def _decode_problem(error: tomllib.TOMLDecodeError) -> Problem:
    """The parser's message and line (Python 3.14 has `lineno`; 3.12 puts it in the text)."""
    text = str(error)
    found = _AT_LINE.search(text)
    line = getattr(error, "lineno", None) or (int(found.group(1)) if found else None)
    return Problem(line, f"not valid TOML: {_AT_LINE.sub('', text)}")


def parse_instrument(source: str) -> Instrument:
    """Parse and check an instrument file's text; every problem is reported, with its line."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise InstrumentError([_decode_problem(error)]) from None
    c = _Checker(source)
    c.unknown(data, TOP_KEYS, ())
    head = {
        "id": c.get(data, (), "id", str, check=_slug),
        "version": c.get(
            data, (), "version", int, check=lambda v: None if v >= 1 else "must be 1 or more"
        ),
        "title": c.get(data, (), "title", str, check=_text),
        "instructions": c.get(data, (), "instructions", str, check=_text),
        "audience": c.get(data, (), "audience", str, check=_one_of(AUDIENCES)),
        "cadence": c.get(data, (), "cadence", str, check=_one_of(CADENCES)),
        "higher_is_better": c.get(data, (), "higher_is_better", bool, default=True, required=False),
        "widget": c.get(
            data, (), "widget", str, default="choices", required=False, check=_one_of(WIDGETS)
        ),
        "license": c.get(data, (), "license", str, default="", required=False),
        "source": c.get(data, (), "source", str, default="", required=False),
    }
    points = _parse_scale(c, data)
    items = _parse_items(c, data)
    known = {i.id for i in items}
    scoring = c.get(data, (), "scoring", dict, default={})
    c.unknown(scoring, SCORING_KEYS, ("scoring",))
    sp: KeyPath = ("scoring",)
    method = c.get(scoring, sp, "method", str, check=_one_of(METHODS))
    reverse = c.get(scoring, sp, "reverse", list, default=[], required=False)
    _known_items(c, reverse, known, (*sp, "reverse"), "scoring.reverse")
    prorate = c.get(scoring, sp, "prorate", bool, default=True, required=False)
    max_missing = c.get(scoring, sp, "max_missing", int, default=0, required=False)
    if items and not 0 <= max_missing < len(items):
        c.fail((*sp, "max_missing"), "'scoring.max_missing' must be at least 0 and below the items")
    if method == "sum" and max_missing and not prorate:
        c.fail((*sp, "prorate"), "a sum with missing items must be prorated (prorate = true)")
    declared = c.get(scoring, sp, "range", list)
    subscales = _parse_subscales(c, data, known, method)
    norms = _parse_norms(c, data)
    total = Scale(TOTAL, str(head["title"] or ""), tuple(i.id for i in items), max_missing)
    if c.problems:
        raise InstrumentError(c.problems)
    instrument = Instrument(
        **head,
        points=points,
        items=items,
        method=method,
        reverse=frozenset(reverse),
        prorate=prorate,
        range=(0.0, 0.0),
        scales=(total, *subscales),
        norms=norms,
    )
    expected = instrument.scale_range(total)
    ok = (
        isinstance(declared, list)
        and len(declared) == 2  # noqa: PLR2004
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in declared)
    )
    if not ok or tuple(map(float, declared)) != expected:
        lo, hi = (f"{v:g}" for v in expected)
        c.fail((*sp, "range"), f"'scoring.range' must be [{lo}, {hi}] for this scale and method")
        raise InstrumentError(c.problems)
    return replace(instrument, range=expected)


def load_instrument(path: Path) -> Instrument:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InstrumentError([Problem(None, f"cannot read the file: {error}")]) from None
    return parse_instrument(source)
