"""Reads of notifications, always scoped to one person."""

from __future__ import annotations

from django.db.models import QuerySet

from confide.accounts.models import User
from confide.notifications.models import (
    Channel,
    Kind,
    Notification,
    NotificationPreference,
    QuietHours,
    default_channel,
)


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def channel_for(*, user: User, kind: str) -> Channel:
    stored = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return Channel(stored) if stored else default_channel(kind)


def channels_for(*, user: User) -> dict[str, Channel]:
    """Every kind's channel for the person, defaults filled in."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {
        kind: Channel(stored[kind]) if kind in stored else default_channel(kind)
        for kind in Kind.values
    }


def quiet_hours_for(*, user: User) -> QuietHours:
    """The person's quiet hours; an unsaved, disabled default if they never chose any."""
    return QuietHours.objects.filter(user=user).first() or QuietHours(user=user)
