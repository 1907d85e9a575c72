from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "confide.notifications"
    label = "notifications"

    def ready(self) -> None:
        from confide.notifications.privacy import notifications_privacy_register

        notifications_privacy_register()
