from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "confide.core"
    label = "core"

    def ready(self) -> None:
        from confide.core import taskrows  # noqa: F401 - registers the purge of finished tasks
