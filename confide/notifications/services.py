"""Every write to notifications except email delivery, which lives in delivery.py."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from confide.accounts.models import User
from confide.core.audit import audit_log
from confide.notifications import tasks
from confide.notifications.models import (
    MAX_EVENT_KEY,
    MAX_TITLE,
    MAX_URL,
    Channel,
    Kind,
    Notification,
    NotificationPreference,
    QuietHours,
)
from confide.notifications.selectors import channel_for, channels_for, quiet_hours_for


def is_site_path(url: str) -> bool:
    """True for a path on this site ("/pairs/3/"), never for another host or a scheme."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def _one_line(title: str) -> str:
    """The title on one line and within MAX_TITLE: it often holds a name someone typed."""
    line = " ".join(title.split())
    return line if len(line) <= MAX_TITLE else line[: MAX_TITLE - 1].rstrip() + "\u2026"


def _check(*, kind: str, event_key: str, title: str, url: str) -> None:
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not event_key or len(event_key) > MAX_EVENT_KEY:
        raise ValueError("event_key must have 1 to 200 characters")
    if not title:
        raise ValueError("a notification needs a title")
    if len(url) > MAX_URL or not is_site_path(url):
        raise ValueError("url must be a path on this site")


@transaction.atomic
def notify(*, user: User, kind: str, event_key: str, title: str, url: str) -> Notification | None:
    """Tell `user` that something happened, as their preference for `kind` says.

    `title` is shown in the app and is the whole content of the email, so it names what
    happened ("Blake shared a check-in") and never carries private text. `event_key` names the
    event: a second call with the same key stores and sends nothing. The title is put on one
    line and cut to MAX_TITLE characters. Returns the new notification, or None when nothing
    was stored (the kind is off, or the event was already notified). Raises ValueError for an
    unknown kind, an empty title or key, or a url that is not a path on this site.
    """
    title = _one_line(title)
    _check(kind=kind, event_key=event_key, title=title, url=url)
    channel = channel_for(user=user, kind=kind)
    if channel == Channel.OFF:
        return None
    if Notification.objects.filter(user=user, event_key=event_key).exists():
        return None
    email = channel == Channel.EMAIL
    try:
        with transaction.atomic():  # a savepoint: a concurrent duplicate loses quietly
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                event_key=event_key,
                title=title,
                url=url,
                email_state=(
                    Notification.EmailState.PENDING if email else Notification.EmailState.NOT_NEEDED
                ),
            )
    except IntegrityError:
        return None
    if email:
        transaction.on_commit(partial(tasks.send_notification_email.enqueue, notification.pk))
    return notification


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the person's own notifications read (get it with access_notification)."""
    if notification.user_id != user.pk:
        raise ValueError("a person can only mark their own notifications read")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the person read; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_update(
    *,
    user: User,
    channels: dict[str, str],
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
    quiet_enabled: bool,
) -> QuietHours:
    """Save the person's channel per kind and their quiet hours.

    Kinds left out of `channels` keep their current channel. A start or end of None keeps the
    stored time. Raises ValueError for an unknown kind or channel, or an empty window.
    """
    unknown = set(channels) - set(Kind.values)
    if unknown:
        raise ValueError(f"unknown notification kinds {sorted(unknown)}")
    if any(channel not in Channel.values for channel in channels.values()):
        raise ValueError("unknown notification channel")
    quiet = quiet_hours_for(user=user)
    start = quiet.start if quiet_start is None else quiet_start
    end = quiet.end if quiet_end is None else quiet_end
    if start == end:
        raise ValueError("quiet hours must start and end at different times")

    before = channels_for(user=user)
    changed = {kind: channel for kind, channel in channels.items() if before[kind] != channel}
    if changed:
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=user, kind=kind, channel=channel)
                for kind, channel in changed.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["channel"],
        )
    adding = quiet._state.adding
    quiet_changed = adding or (quiet.start, quiet.end, quiet.enabled) != (
        start,
        end,
        quiet_enabled,
    )
    if quiet_changed:
        quiet.start, quiet.end, quiet.enabled = start, end, quiet_enabled
        if adding:
            quiet.save()
        else:
            quiet.save(update_fields=["start", "end", "enabled"])
    if changed or quiet_changed:
        audit_log(
            actor=user,
            action="notifications.preferences.changed",
            target=user,
            data={"channels": changed, "quiet_enabled": quiet_enabled},
        )
    return quiet
