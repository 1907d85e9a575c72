"""What a person takes with them from notifications (export) and what erasing their account does.

Registered with the privacy registry in `NotificationsConfig.ready()`.

Notifications hold no private text: each title is written by the project and names at most a
partner's display name, a circle pseudonym or a circle's name (see the `notify` callers). The
export lists every notification (kind, title, link, when, when read, when emailed), the
person's choices per kind and their quiet hours. Erasure deletes all three, and then takes the
person's names out of the titles that the people who shared a space with them received
(`notifications_forget`).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils import translation

from confide.accounts.models import User
from confide.notifications.models import (
    MAX_TITLE,
    Notification,
    NotificationPreference,
    QuietHours,
)
from confide.notifications.names import names_pattern, title_without_names
from confide.privacy.document import iso
from confide.privacy.registry import Alias

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


# Readers are looked up this many at a time, and titles written back this many per query: the
# number of queries grows with the people and titles concerned, never one per notification.
_BATCH = 500


def _names_by_reader(aliases: list[Alias]) -> dict[int, dict[str, Alias]]:
    """For each reader, the names to take out of their titles. Where two relationships gave
    the same name to one reader, the first wording is kept."""
    readers: dict[int, dict[str, Alias]] = {}
    for alias in aliases:
        if not alias.name.strip():
            continue
        for reader in alias.seen_by:
            readers.setdefault(reader, {}).setdefault(alias.name, alias)
    return readers


def _rewritten(
    notification: Notification, names: dict[str, Alias], patterns: dict[int, re.Pattern[str]]
) -> bool:
    pattern = patterns.get(notification.user_id)
    if pattern is None:
        pattern = patterns[notification.user_id] = names_pattern(names) or re.compile(r"(?!)")
    if pattern.search(notification.title) is None:
        return False
    with translation.override(notification.user.locale or None):
        wordings = {name: (str(alias.start), str(alias.inside)) for name, alias in names.items()}
    title = title_without_names(
        notification.title, names=wordings, limit=MAX_TITLE, pattern=pattern
    )
    changed = title != notification.title
    notification.title = title
    return changed


def notifications_forget(aliases: list[Alias]) -> None:
    """Replace, in the titles of each alias's readers, the name by the alias's wording.

    Runs inside the erasure's transaction, after every erase handler (so titles that handlers
    sent, such as a partner's "... has left your pair", are covered). Only the readers an
    alias names are touched: the same name in anyone else's titles stays.
    """
    readers = _names_by_reader(aliases)
    names = {name for by_name in readers.values() for name in by_name}
    if not names:
        return
    mentions = Q()
    for name in sorted(names):
        mentions |= Q(title__contains=name)
    patterns: dict[int, re.Pattern[str]] = {}
    changed: list[Notification] = []
    ids = sorted(readers)
    for first in range(0, len(ids), _BATCH):
        candidates = (
            Notification.objects.filter(mentions, user_id__in=ids[first : first + _BATCH])
            .select_related("user")
            .only("pk", "title", "user_id", "user__locale")
        )
        changed += [
            each for each in candidates if _rewritten(each, readers[each.user_id], patterns)
        ]
    Notification.objects.bulk_update(changed, ["title"], batch_size=_BATCH)


def notifications_privacy_register() -> None:
    from confide.privacy.registry import privacy_handler_register

    privacy_handler_register(
        app="notifications",
        models=PERSONAL_MODELS,
        export=notifications_export,
        erase=notifications_erase,
        forget=notifications_forget,
    )
