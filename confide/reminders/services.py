"""Every write of reminders: a person's own settings, and sending what the sweep finds due.

The rule for quiet hours: a reminder never arrives during the person's quiet hours (when they
have turned them on). One that falls due inside them waits and comes when they end, once; if
the worker is down then too, it is skipped after an hour like any missed slot.

Reminders never carry private text: the title names only the kind of reminder ("Your check-in
reminder"), and the link leads to the page where the person acts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from confide.accounts.models import User
from confide.core.models import ScheduledSend
from confide.core.scheduler import Defer, Due, SendOutcome, Sent, slots_between
from confide.notifications.models import Kind as NotificationKind
from confide.notifications.quiet import quiet_until, zone_for
from confide.notifications.selectors import quiet_hours_for
from confide.notifications.services import notify
from confide.pairs.models import CheckIn, Pair
from confide.pairs.services.common import today_for
from confide.reminders.models import Kind, Reminder, days_to_mask

DEFAULT_TIME = time(19, 0)
TITLES = {
    Kind.CHECKIN: gettext_lazy("Your check-in reminder"),
    Kind.APPRECIATION: gettext_lazy("Your appreciation reminder"),
    Kind.PLANNED_TIME: gettext_lazy("Your reminder for time together"),
    Kind.MEASURES: gettext_lazy("Your reminder for a short reflection"),
}
# Pages of apps that may not exist yet; the pair page stands in until they do.
APPRECIATION_PAGES = ("rhythm:appreciations", "rhythm:index")
TOGETHER_PAGES = ("together:index",)


class ReminderError(ValueError):
    """A choice that cannot be saved; the message says why, for the person."""


@dataclass(frozen=True)
class ReminderChoice:
    kind: str
    enabled: bool
    at: time | None
    weekdays: frozenset[int]


def _check(choice: ReminderChoice) -> None:
    if choice.kind not in Kind.values:
        raise ReminderError(_("This kind of reminder does not exist. Reload the page."))
    if not choice.weekdays <= set(range(7)):
        raise ReminderError(_("Choose days of the week from the list."))
    label = Kind(choice.kind).label
    if choice.enabled and choice.at is None:
        raise ReminderError(_("Choose a time for the reminder “%(kind)s”.") % {"kind": label})
    if choice.enabled and not choice.weekdays:
        raise ReminderError(
            _("Choose at least one day for the reminder “%(kind)s”.") % {"kind": label}
        )


@transaction.atomic
def reminders_save(
    *, user: User, choices: list[ReminderChoice], now: datetime | None = None
) -> list[Reminder]:
    """Save the person's choices, all or none. A kind never turned on and still off stores
    nothing. Raises ReminderError (and saves nothing) for an unknown kind or day, a repeated
    kind, or a reminder turned on without a time or without any day."""
    for choice in choices:
        _check(choice)
    if len({choice.kind for choice in choices}) != len(choices):
        raise ReminderError(_("Each kind of reminder can be set once. Reload the page."))
    now = now or timezone.now()
    current = {r.kind: r for r in Reminder.objects.select_for_update().filter(user=user)}
    saved = []
    for choice in choices:
        reminder = current.get(choice.kind)
        if reminder is None and not choice.enabled:
            continue
        if reminder is None:
            reminder = Reminder(user=user, kind=choice.kind)
        at = (choice.at or reminder.at or DEFAULT_TIME).replace(second=0, microsecond=0)
        wanted = (choice.enabled, at, days_to_mask(choice.weekdays))
        if reminder._state.adding or (reminder.enabled, reminder.at, reminder.weekdays) != wanted:
            reminder.enabled, reminder.at, reminder.weekdays = wanted
            reminder.changed_at = now
            reminder.save()
        saved.append(reminder)
    return saved


# --- the sweep (registered in apps.py) ------------------------------------------------------


def reminders_due(after: datetime, until: datetime) -> Iterator[Due]:
    """Every enabled reminder's slots in (after, until], but none at or before its last change."""
    rows = Reminder.objects.filter(enabled=True, user__is_active=True).values_list(
        "kind", "user_id", "at", "weekdays", "changed_at", "user__time_zone"
    )
    for kind, user_id, at, weekdays, changed_at, zone in rows.iterator():
        for slot in slots_between(
            at=at,
            weekdays=frozenset(day for day in range(7) if weekdays & (1 << day)),
            zone=zone_for(zone),
            after=max(after, changed_at),
            until=until,
        ):
            yield Due(kind=kind, subject=str(user_id), slot=slot)


def reminder_deliver(item: ScheduledSend, now: datetime) -> SendOutcome:
    """Send one reminder slot, unless it is off now or nothing waits for the person; in quiet
    hours, wait until they end. Safe to run twice: one notification per slot (its event key)."""
    reminder = (
        Reminder.objects.select_related("user")
        .filter(user_id=int(item.subject), kind=item.kind, enabled=True, user__is_active=True)
        .first()
    )
    if reminder is None:
        return Sent.SKIPPED
    user = reminder.user
    quiet = quiet_hours_for(user=user)
    if quiet.enabled:
        until = quiet_until(now, start=quiet.start, end=quiet.end, zone=zone_for(user.time_zone))
        if until is not None:
            return Defer(until)
    url = _link(user, Kind(reminder.kind))
    if url is None:
        return Sent.SKIPPED
    with translation.override(user.locale or settings.LANGUAGE_CODE):
        title = str(TITLES[Kind(reminder.kind)])
    notify(
        user=user,
        kind=NotificationKind.REMINDER,
        event_key=f"reminder:{reminder.kind}:{item.slot.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        title=title,
        url=url,
    )
    return Sent.DONE


def _active_pairs(user: User) -> list[Pair]:
    return list(
        Pair.objects.filter(
            status=Pair.Status.ACTIVE, members__user=user, members__left_at__isnull=True
        ).order_by("created_at")
    )


def _pair_page(names: tuple[str, ...], pair: Pair) -> str:
    for name in names:
        try:
            return reverse(name, kwargs={"pair_id": pair.pk})
        except NoReverseMatch:
            continue
    return reverse("pairs:detail", args=[pair.pk])


def _link(user: User, kind: Kind) -> str | None:
    """Where the reminder leads, or None when there is nothing to remind of (no pair to check
    in with, today's check-ins done, joint activities paused, no measure due)."""
    if kind == Kind.MEASURES:
        from confide.measures.selectors import due_measures

        due = due_measures(person=user, today=today_for(user))
        return reverse("measures:index") if due else None
    pairs = _active_pairs(user)
    if kind == Kind.CHECKIN:
        done = set(
            CheckIn.objects.filter(author=user, day=today_for(user), pair__in=pairs).values_list(
                "pair_id", flat=True
            )
        )
        pairs = [pair for pair in pairs if pair.pk not in done]
        if len(pairs) == 1:
            return reverse("pairs:checkin", args=[pairs[0].pk])
    else:
        # After a pause of joint activities (often for safety), no nudge toward the partner.
        pairs = [pair for pair in pairs if not pair.joint_paused]
        if len(pairs) == 1:
            pages = APPRECIATION_PAGES if kind == Kind.APPRECIATION else TOGETHER_PAGES
            return _pair_page(pages, pairs[0])
    return reverse("pairs:list") if pairs else None
