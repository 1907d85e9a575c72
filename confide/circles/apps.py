from __future__ import annotations

from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "confide.circles"
    label = "circles"

    def ready(self) -> None:
        from confide.accounts.twofactor import register_second_factor_role
        from confide.circles.due import due_today
        from confide.circles.selectors import facilitates_a_circle
        from confide.circles.services.meetings import (
            meeting_reminder_deliver,
            meeting_reminders_due,
        )
        from confide.core.due import register_due
        from confide.core.scheduler import register_sweep

        register_sweep(
            "circles.meetings", find=meeting_reminders_due, send=meeting_reminder_deliver
        )
        register_second_factor_role(facilitates_a_circle)
        register_due("circles", due_today)

        from confide.circles.privacy import circles_privacy_register

        circles_privacy_register()
