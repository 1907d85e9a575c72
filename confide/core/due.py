"""What is due today for a person, gathered from the apps that know (a hook, so core imports
no app above it). Each app registers a provider in its AppConfig.ready:

    from confide.core.due import DueAsk, DueItem, register_due

    def due_today(user, today, *, ask=None):  # today: the person's own date, in their zone
        return [DueItem(kind="checkin", title=_("Check in with Blake"), url=..., order=10)]

    register_due("pairs", due_today)

The home page shows the items as a calm list, in `order`, never as a score or a streak.
Providers must be cheap (a query, or none when the person has nothing of theirs) and must never
return private text in `title`. What several providers need (the person's pairs, their
circles) is read once per page through `DueAsk.shared`, under a key the reading app owns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TypeVar, cast

from django_stubs_ext import StrOrPromise

T = TypeVar("T")


@dataclass(frozen=True)
class DueItem:
    kind: str  # "checkin", "planned_time", "gesture", "measure", "meeting", "homework", ...
    title: StrOrPromise
    url: str
    order: int = 50  # smaller first
    detail: StrOrPromise = ""  # a short plain line, e.g. a time ("at 19:00")


@dataclass
class DueAsk:
    """One person's "what is due today?", asked once for one page. Rows that several providers
    (and the page itself) need are read once, by the app that owns them, through `shared`; they
    live only as long as this object, which lives only as long as the request."""

    person: Any
    today: date
    _found: dict[str, Any] = field(default_factory=dict, repr=False)

    def shared(self, key: str, read: Callable[[], T]) -> T:
        """What `read` returns, read at most once for this ask. `key` is "app.thing"."""
        if key not in self._found:
            self._found[key] = read()
        return cast("T", self._found[key])


class Provider(Protocol):
    def __call__(self, user: Any, today: date, *, ask: DueAsk | None = None) -> list[DueItem]: ...


_PROVIDERS: dict[str, Provider] = {}


def register_due(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def due_for(user: Any, today: date, *, ask: DueAsk | None = None) -> list[DueItem]:
    """Every provider's items for the person, smallest `order` first. Pass the page's `ask` to
    share what the providers read with the page."""
    ask = ask if ask is not None else DueAsk(user, today)
    items = [item for provider in _PROVIDERS.values() for item in provider(user, today, ask=ask)]
    return sorted(items, key=lambda item: (item.order, str(item.title)))
