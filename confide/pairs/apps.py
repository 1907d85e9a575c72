from __future__ import annotations

from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "confide.pairs"
    label = "pairs"

    def ready(self) -> None:
        from confide.pairs.disclosure import register_handlers

        register_handlers()
