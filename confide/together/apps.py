from __future__ import annotations

from django.apps import AppConfig


class TogetherConfig(AppConfig):
    name = "confide.together"
    label = "together"
    verbose_name = "Time together"

    def ready(self) -> None:
        from confide.core.due import register_due
        from confide.together.due import due_today
        from confide.together.privacy import register as register_privacy

        register_due("together", due_today)
        register_privacy()
