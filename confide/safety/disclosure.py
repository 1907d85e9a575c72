"""What a writer does with an entry that was kept private after words of crisis or fear.

The screener never tells a partner. When a pair write raises crisis or fear, the app that owns
it (pairs, dialogue) keeps it private to the writer and the support page asks what to do with
it: share it now, keep it private, or delete it. Apps register a handler per kind of entry
(`register("checkin", handler)` in their AppConfig.ready), so this module imports no app above
it and the support page names entries only by kind and id ("checkin:<uuid>").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal, Protocol

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from confide.accounts.models import User
from confide.core.audit import audit_log

Action = Literal["share", "keep", "delete"]
ACTIONS: Final[tuple[Action, ...]] = ("share", "keep", "delete")


class DisclosureError(Exception):
    """The choice cannot be carried out; `str()` is a sentence for the writer."""


@dataclass(frozen=True)
class HeldEntry:
    """An entry of the writer's, as the support page describes it (never its text)."""

    kind: str
    id: str
    what: StrOrPromise  # "your check-in of today"
    partner: str | None  # the display name of who would see it if shared
    can_share: bool  # the writer meant it for their partner, or may still share it
    is_private_now: bool  # True while nobody but the writer can see it
    url: str  # where it lives


class Handler(Protocol):
    def find(self, user: User, entry_id: uuid.UUID) -> HeldEntry | None: ...

    def share(self, user: User, entry_id: uuid.UUID) -> None: ...

    def keep(self, user: User, entry_id: uuid.UUID) -> None: ...

    def delete(self, user: User, entry_id: uuid.UUID) -> None: ...


_HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    _HANDLERS[kind] = handler


def registered_kinds() -> tuple[str, ...]:
    return tuple(sorted(_HANDLERS))


def _parse(entry: str) -> tuple[Handler, str, uuid.UUID] | None:
    kind, _sep, raw = entry.partition(":")
    handler = _HANDLERS.get(kind)
    if handler is None:
        return None
    try:
        return handler, kind, uuid.UUID(raw)
    except ValueError:
        return None


def held_entry(user: User, entry: str) -> HeldEntry | None:
    """The writer's own entry named by "kind:id", or None (unknown, not theirs, or gone)."""
    parsed = _parse(entry)
    if parsed is None:
        return None
    handler, _kind, entry_id = parsed
    return handler.find(user, entry_id)


MESSAGES: Final[dict[Action, StrOrPromise]] = {
    "share": _("It is shared now."),
    "keep": _("It stays private: only you can see it."),
    "delete": _("It is deleted."),
}


def held_entry_decide(*, user: User, entry: str, action: str) -> HeldEntry:
    """Carry out the writer's choice. Raises DisclosureError with a sentence for them."""
    if action not in ACTIONS:
        raise DisclosureError(_("Choose to share it, keep it private, or delete it."))
    found = held_entry(user, entry)
    parsed = _parse(entry)
    if found is None or parsed is None:
        raise DisclosureError(_("This entry was not found. It may already be deleted."))
    handler, kind, entry_id = parsed
    if action == "share" and not found.can_share:
        raise DisclosureError(_("This entry can no longer be shared."))
    steps: dict[str, Callable[[User, uuid.UUID], None]] = {
        "share": handler.share,
        "keep": handler.keep,
        "delete": handler.delete,
    }
    steps[action](user, entry_id)
    audit_log(actor=user, action=f"safety.disclosure.{action}", data={"kind": kind})
    return found
