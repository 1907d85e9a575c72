"""Export and erasure handlers: every app that stores personal data registers one here.

The privacy app gathers a person's data and erases it through this registry, so it never
imports the apps above it; each app registers in its ``AppConfig.ready()``::

    from confide.privacy.registry import privacy_handler_register

    privacy_handler_register(
        app="pairs",
        models=(CheckIn, Reply, ...),       # every model of the app that holds personal data
        export=pairs_export,                # (user) -> JSON-able dict: this app's section
        erase=pairs_erase,                  # (user) -> None, inside the erasure's transaction
        aliases=pairs_aliases,              # optional: (user) -> the names others saw them by
    )

Erasure asks every handler's ``aliases`` before any handler erases anything (the names and
who saw them are gone afterwards), and, once every handler has erased, hands them all to every
handler's ``forget``, which replaces the names in what stays for others (the notifications app
does this for notification titles).

A test fails when a model that points at a person, or holds encrypted text, is covered by no
handler (see ``NOT_PERSONAL`` for the few that are deliberately left out, with the reason).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django_stubs_ext import StrOrPromise

Export = Callable[[Any], dict[str, Any]]
Erase = Callable[[Any], None]


@dataclass(frozen=True)
class Alias:
    """A name a person was shown by, the people who saw them by it, and what to say instead.

    `start` is the wording at the start of a sentence, `inside` within one (lazy translations,
    rendered in each reader's language).
    """

    name: str
    seen_by: frozenset[int]
    start: StrOrPromise
    inside: StrOrPromise


Aliases = Callable[[Any], list[Alias]]
Forget = Callable[[list[Alias]], None]


@dataclass(frozen=True)
class PrivacyHandler:
    app: str
    models: tuple[type[models.Model], ...]
    export: Export
    erase: Erase
    aliases: Aliases | None = None
    forget: Forget | None = None


_handlers: dict[str, PrivacyHandler] = {}


def privacy_handler_register(
    *,
    app: str,
    models: tuple[type[models.Model], ...],
    export: Export,
    erase: Erase,
    aliases: Aliases | None = None,
    forget: Forget | None = None,
) -> PrivacyHandler:
    """Register (or replace, on a re-run of ``ready()``) the handler of `app`."""
    handler = PrivacyHandler(
        app=app,
        models=tuple(models),
        export=export,
        erase=erase,
        aliases=aliases,
        forget=forget,
    )
    _handlers[app] = handler
    return handler


def privacy_handlers() -> list[PrivacyHandler]:
    """Every registered handler, in a stable order (by app name)."""
    return [_handlers[name] for name in sorted(_handlers)]


def covered_models() -> set[type[models.Model]]:
    return {model for handler in _handlers.values() for model in handler.models}
