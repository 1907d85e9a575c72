"""What is due today for a person, gathered from the apps that know (a hook, so core imports
no app above it). Each app registers a provider in its AppConfig.ready:

    from confide.core.due import DueItem, register_due

    def due_today(user, today):  # today: the person's own date, in their time zone
        return [DueItem(kind="checkin", title=_("Check in with Blake"), url=..., order=10)]

    register_due("pairs", due_today)

The home page shows the items as a calm list, in `order`, never as a score or a streak.
Providers must be cheap (a query or two) and must never return private text in `title`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class DueItem:
    kind: str  # "checkin", "planned_time", "gesture", "measure", "meeting", "homework", ...
    title: StrOrPromise
    url: str
    order: int = 50  # smaller first
    detail: StrOrPromise = ""  # a short plain line, e.g. a time ("at 19:00")


Provider = Callable[[Any, date], list[DueItem]]
_PROVIDERS: dict[str, Provider] = {}


def register_due(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def due_for(user: Any, today: date) -> list[DueItem]:
    items = [item for provider in _PROVIDERS.values() for item in provider(user, today)]
    return sorted(items, key=lambda item: (item.order, str(item.title)))
