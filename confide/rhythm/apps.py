from __future__ import annotations

from django.apps import AppConfig


class RhythmConfig(AppConfig):
    name = "confide.rhythm"
    label = "rhythm"
    verbose_name = "The rhythm of a pair"

    def ready(self) -> None:
        from confide.core.due import register_due
        from confide.rhythm.disclosure import register_handlers
        from confide.rhythm.due import due_today
        from confide.rhythm.privacy import register as register_privacy

        register_handlers()
        register_due("rhythm", due_today)
        register_privacy()
