"""Export and erasure handlers: every app that stores personal data registers one here.

The privacy app gathers a person's data and erases it through this registry, so it never
imports the apps above it; each app registers in its ``AppConfig.ready()``::

    from confide.privacy.registry import privacy_handler_register

    privacy_handler_register(
        app="pairs",
        models=(CheckIn, Reply, ...),       # every model of the app that holds personal data
        export=pairs_export,                # (user) -> JSON-able dict: this app's section
        erase=pairs_erase,                  # (user) -> None, inside the erasure's transaction
    )

A test fails when a model that points at a person, or holds encrypted text, is covered by no
handler (see ``NOT_PERSONAL`` for the few that are deliberately left out, with the reason).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

Export = Callable[[Any], dict[str, Any]]
Erase = Callable[[Any], None]


@dataclass(frozen=True)
class PrivacyHandler:
    app: str
    models: tuple[type[models.Model], ...]
    export: Export
    erase: Erase


_handlers: dict[str, PrivacyHandler] = {}


def privacy_handler_register(
    *, app: str, models: tuple[type[models.Model], ...], export: Export, erase: Erase
) -> PrivacyHandler:
    """Register (or replace, on a re-run of ``ready()``) the handler of `app`."""
    handler = PrivacyHandler(app=app, models=tuple(models), export=export, erase=erase)
    _handlers[app] = handler
    return handler


def privacy_handlers() -> list[PrivacyHandler]:
    """Every registered handler, in a stable order (by app name)."""
    return [_handlers[name] for name in sorted(_handlers)]


def covered_models() -> set[type[models.Model]]:
    return {model for handler in _handlers.values() for model in handler.models}
