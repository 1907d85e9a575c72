"""The project-written list of small-gesture ideas, and which of them to suggest.

Pure: no database. The list lives in ``data/gestures.toml``; it is read once and validated, and
a file that breaks a rule raises ``GestureFileError`` naming the entry, so a bad edit fails at
start-up or in the test suite rather than as a half-empty page.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

from confide.rhythm.models import GestureEffort, GestureKind

GESTURES_FILE: Final = Path(__file__).resolve().parent / "data" / "gestures.toml"
MAX_TEXT: Final = 160
ENDINGS: Final = (".", "?")
KINDS: Final = tuple(GestureKind.values)
EFFORTS: Final = tuple(GestureEffort.values)
_KEYS: Final = frozenset({"id", "kind", "effort", "text"})
_ID: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class GestureFileError(ValueError):
    """The gesture file breaks a rule; ``str()`` names the entry and the problem."""


@dataclass(frozen=True, slots=True)
class Gesture:
    id: str
    kind: str
    effort: str
    text: str

    @property
    def kind_label(self) -> str:
        return str(GestureKind(self.kind).label)

    @property
    def effort_label(self) -> str:
        return str(GestureEffort(self.effort).label)


def validate(entries: Sequence[Mapping[str, Any]]) -> tuple[Gesture, ...]:
    """Check every entry and return the gestures in file order."""
    seen: set[str] = set()
    found = []
    for number, entry in enumerate(entries, start=1):
        where = f"gesture #{number}"
        if set(entry) != _KEYS:
            raise GestureFileError(f"{where}: expected exactly the keys {sorted(_KEYS)}")
        values = {key: entry[key] for key in _KEYS}
        if not all(isinstance(value, str) for value in values.values()):
            raise GestureFileError(f"{where}: every value must be text")
        gesture = Gesture(**values)
        where = f"gesture {gesture.id!r}"
        if not _ID.fullmatch(gesture.id) or len(gesture.id) > 40:  # noqa: PLR2004
            raise GestureFileError(f"{where}: the id must be a lowercase slug of 40 or fewer")
        if gesture.id in seen:
            raise GestureFileError(f"{where}: the id is used twice")
        if gesture.kind not in KINDS:
            raise GestureFileError(f"{where}: kind must be one of {list(KINDS)}")
        if gesture.effort not in EFFORTS:
            raise GestureFileError(f"{where}: effort must be one of {list(EFFORTS)}")
        text = gesture.text
        if text != text.strip() or not text or len(text) > MAX_TEXT or "\n" in text:
            raise GestureFileError(f"{where}: one line of text, at most {MAX_TEXT} characters")
        if not text.endswith(ENDINGS):
            raise GestureFileError(f"{where}: the text must end with '.' or '?'")
        seen.add(gesture.id)
        found.append(gesture)
    return tuple(found)


def parse(text: str) -> tuple[Gesture, ...]:
    data = tomllib.loads(text)
    extra = sorted(set(data) - {"gesture"})
    if extra:
        raise GestureFileError(f"unknown top-level key(s) {extra}; expected only [[gesture]]")
    entries = data.get("gesture")
    if not isinstance(entries, list) or not entries:
        raise GestureFileError("expected at least one [[gesture]] table")
    if not all(isinstance(entry, Mapping) for entry in entries):
        raise GestureFileError("every [[gesture]] must be a table")
    return validate(entries)


@cache
def catalogue() -> tuple[Gesture, ...]:
    return parse(GESTURES_FILE.read_text(encoding="utf-8"))


@cache
def _by_id() -> dict[str, Gesture]:
    return {gesture.id: gesture for gesture in catalogue()}


def gesture_by_id(gesture_id: str) -> Gesture | None:
    return _by_id().get(gesture_id)


def suggest(
    gestures: Iterable[Gesture],
    *,
    done_recently: Iterable[str],
    kind: str = "",
    effort: str = "",
    seed: str,
) -> list[Gesture]:
    """Gestures to suggest, filtered by kind and effort, without those done recently.

    The order is shuffled by `seed` (a person, pair and week), so the list stays the same on
    every visit in one week and changes the next.
    """
    skip = set(done_recently)
    chosen = [
        g
        for g in gestures
        if g.id not in skip and (not kind or g.kind == kind) and (not effort or g.effort == effort)
    ]
    random.Random(seed).shuffle(chosen)  # noqa: S311 - an order for ideas, not a secret
    return chosen


def week_seed(*, pair_id: object, person_id: object, week_start: date) -> str:
    return f"{pair_id}:{person_id}:{week_start.isoformat()}"
