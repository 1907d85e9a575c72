from __future__ import annotations

from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "confide.dialogue"
    label = "dialogue"
    verbose_name = "Structured dialogue"

    def ready(self) -> None:
        # Registers the logout receiver that closes a person's sockets (see core/realtime.py).
        from confide.core import realtime  # noqa: F401
        from confide.dialogue.disclosure import register_handlers
        from confide.dialogue.privacy import register as register_privacy

        register_handlers()
        register_privacy()
