from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "confide.reminders"
    label = "reminders"

    def ready(self) -> None:
        from confide.core.scheduler import register_sweep
        from confide.reminders.privacy import register as register_privacy
        from confide.reminders.services import reminder_deliver, reminders_due

        register_sweep("reminders", find=reminders_due, send=reminder_deliver)
        register_privacy()
