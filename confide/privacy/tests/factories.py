from __future__ import annotations

from confide.privacy.keys import space_create
from confide.privacy.models import Space
from confide.privacy.tests.testapp.models import Note


def make_space(kind: str = Space.Kind.PAIR) -> Space:
    return space_create(kind=kind)


def make_note(*, space: Space | None = None, body: str = "We spoke about money.") -> Note:
    note = Note(space=space or make_space(), body=body)
    note.save()
    return note
