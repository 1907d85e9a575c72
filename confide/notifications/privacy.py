"""What a person takes with them from notifications (export) and what erasing their account does.

Registered with the privacy registry in `NotificationsConfig.ready()`.

Notifications hold no private text: each title is written by the project and names at most a
partner's display name, a circle pseudonym or a circle's name (see the `notify` callers). The
export lists every notification (kind, title, link, when, when read, when emailed), the
person's choices per kind and their quiet hours. Erasure deletes all three.
"""

from __future__ import annotations

from typing import Any

from confide.accounts.models import User
from confide.notifications.models import Notification, NotificationPreference, QuietHours
from confide.privacy.document import iso

PERSONAL_MODELS = (Notification, NotificationPreference, QuietHours)


def notifications_export(user: User) -> dict[str, Any]:
    notifications = Notification.objects.filter(user=user).order_by("created_at", "pk")
    preferences = NotificationPreference.objects.filter(user=user).order_by("kind")
    quiet = QuietHours.objects.filter(user=user).first()
    return {
        "notifications": [
            {
                "kind": each.kind,
                "title": each.title,
                "url": each.url,
                "created_at": iso(each.created_at),
                "read_at": iso(each.read_at),
                "emailed_at": iso(each.emailed_at),
            }
            for each in notifications
        ],
        "preferences": {each.kind: each.channel for each in preferences},
        "quiet_hours": {
            "enabled": quiet.enabled,
            "start": quiet.start.isoformat(timespec="minutes"),
            "end": quiet.end.isoformat(timespec="minutes"),
        }
        if quiet
        else None,
    }


def notifications_erase(user: User) -> None:
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    QuietHours.objects.filter(user=user).delete()


def notifications_privacy_register() -> None:
    from confide.privacy.registry import privacy_handler_register

    privacy_handler_register(
        app="notifications",
        models=PERSONAL_MODELS,
        export=notifications_export,
        erase=notifications_erase,
    )
