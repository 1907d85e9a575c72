"""Email delivery of notifications: at most one email each, retried with backoff, never in a
person's quiet hours.

A notification whose email is wanted starts `pending`. A delivery attempt claims it with a
conditional UPDATE (pending -> claimed) that only one worker can win, sends, then marks it
`sent`. A failed send puts it back to `pending` with one more attempt counted and asks for
another try later; after MAX_ATTEMPTS it is `failed`. A process that dies between claiming and
marking leaves the notification `claimed`: it is not sent again, because a second email about
the same event is worse than a missing one.
"""

from __future__ import annotations

import datetime
import enum
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from confide.core.mail import mail_send
from confide.notifications.models import Channel, Notification, QuietHours
from confide.notifications.quiet import quiet_until, zone_for
from confide.notifications.selectors import channel_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The wait before the next try after the 1st, 2nd, 3rd and 4th failed attempt.
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)

EmailState = Notification.EmailState
Reschedule = Callable[[datetime.datetime], None]


class Outcome(enum.StrEnum):
    SENT = "sent"
    DEFERRED = "deferred"  # quiet hours: another try when they end
    RETRY = "retry"  # sending failed: another try after a backoff
    FAILED = "failed"  # sending failed MAX_ATTEMPTS times
    NOT_NEEDED = "not_needed"  # no longer wanted: read already, or the preference changed
    SKIPPED = "skipped"  # gone, or not pending: sent, claimed elsewhere, or given up


def _still_wanted(notification: Notification) -> bool:
    user = notification.user
    return (
        notification.read_at is None
        and user.is_active
        # An address nobody confirmed may belong to someone else.
        and user.email_verified
        and channel_for(user=user, kind=notification.kind) == Channel.EMAIL
    )


def _quiet_until(notification: Notification, now: datetime.datetime) -> datetime.datetime | None:
    user = notification.user
    quiet = QuietHours.objects.filter(user=user, enabled=True).first()
    if quiet is None:
        return None
    return quiet_until(now, start=quiet.start, end=quiet.end, zone=zone_for(user.time_zone))


def _move(notification_id: int, *, state: str, to: str, **fields: object) -> bool:
    """Move the notification from `state` to `to`; True only for the one caller that did."""
    changed = Notification.objects.filter(pk=notification_id, email_state=state).update(
        email_state=to, **fields
    )
    return changed == 1


def _link(path: str) -> str:
    return f"{settings.CONFIDE_BASE_URL}{path}"


def notification_email_render(notification: Notification) -> tuple[str, str]:
    """Subject and body, in the recipient's language: the same words for every notification and
    two links. Never the title or the page's address: they can name a circle, a partner or what
    happened, and an email is read on screens that others see. The link opens the notification
    (after logging in), which then leads to its page."""
    user = notification.user
    context = {
        "link": _link(reverse("notifications:open", args=[notification.pk])),
        "preferences": _link(reverse("notifications:settings")),
    }
    with translation.override(user.locale or settings.LANGUAGE_CODE):
        subject = render_to_string("notifications/email/notification_subject.txt", context)
        body = render_to_string("notifications/email/notification.txt", context)
    return " ".join(subject.split()), body


def notification_email_deliver(*, notification_id: int, reschedule: Reschedule) -> Outcome:
    """Send the notification's email if it is still pending and wanted.

    `reschedule(run_after)` must arrange another call for this notification at `run_after`.
    Call outside a transaction: the claim has to be visible to other workers before sending.
    """
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.email_state != EmailState.PENDING:
        return Outcome.SKIPPED
    if not _still_wanted(notification):
        _move(notification_id, state=EmailState.PENDING, to=EmailState.NOT_NEEDED)
        return Outcome.NOT_NEEDED
    now = timezone.now()
    until = _quiet_until(notification, now)
    if until is not None:
        reschedule(until)
        return Outcome.DEFERRED

    if not _move(notification_id, state=EmailState.PENDING, to=EmailState.CLAIMED):
        return Outcome.SKIPPED
    notification.refresh_from_db(fields=["email_attempts"])
    subject, body = notification_email_render(notification)
    try:
        mail_send(subject=subject, body=body, to=[notification.user.email])
    except Exception as error:  # any failure to send is retried the same way
        return _after_failure(notification, error, now=now, reschedule=reschedule)
    _move(notification_id, state=EmailState.CLAIMED, to=EmailState.SENT, emailed_at=timezone.now())
    return Outcome.SENT


def _after_failure(
    notification: Notification,
    error: Exception,
    *,
    now: datetime.datetime,
    reschedule: Reschedule,
) -> Outcome:
    attempts = notification.email_attempts + 1
    # Ids and the error's type only: an error message might quote the address or the text.
    logger.warning(
        "Email for notification %s failed (attempt %s of %s): %s",
        notification.pk,
        attempts,
        MAX_ATTEMPTS,
        type(error).__name__,
    )
    if attempts >= MAX_ATTEMPTS:
        _move(
            notification.pk,
            state=EmailState.CLAIMED,
            to=EmailState.FAILED,
            email_attempts=F("email_attempts") + 1,
        )
        return Outcome.FAILED
    # One transaction: with the database task backend the retry is stored together with the
    # state, so no notification is left pending without a task to send it.
    with transaction.atomic():
        _move(
            notification.pk,
            state=EmailState.CLAIMED,
            to=EmailState.PENDING,
            email_attempts=F("email_attempts") + 1,
        )
        reschedule(now + BACKOFF[attempts - 1])
    return Outcome.RETRY
