from __future__ import annotations

from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "confide.pairs"
    label = "pairs"

    def ready(self) -> None:
        from confide.core.due import register_due
        from confide.pairs.disclosure import register_handlers
        from confide.pairs.due import due_today
        from confide.pairs.privacy import register as register_privacy

        register_handlers()
        register_due("pairs", due_today)
        register_privacy()
