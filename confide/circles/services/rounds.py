"""The live round: a talking piece passed along a queue, one speaker at a time.

Every change is stored first; `transaction.on_commit` then tells connected sockets that the
round changed (only its id crosses the channel layer, never a name or text) and each socket
reads the state from the database. A reconnecting socket simply gets the current state.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.circles.models import Attendance, Meeting, Membership, Round, RoundEntry
from confide.circles.services import CircleError
from confide.circles.services.meetings import check_occurrence
from confide.circles.services.posts import require_can_post
from confide.core.audit import audit_log

logger = logging.getLogger(__name__)
OPENS_BEFORE = timedelta(minutes=15)
STAYS_OPEN_AFTER = timedelta(minutes=30)


def round_group(round_id: object) -> str:
    return f"circles.round.{round_id}"


def announce(round_id: object) -> None:
    """Call in transaction.on_commit: the change is saved by then."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(round_group(round_id), {"type": "round.changed"})
    except Exception:
        # The change is stored; sockets get it on their next message or reconnect.
        logger.exception("circles: could not announce a change to round %s", round_id)


def _changed(round_: Round, *fields: str) -> None:
    round_.version += 1
    round_.save(update_fields=["version", *fields])
    transaction.on_commit(partial(announce, round_.pk))


def _locked(round_: Round) -> Round:
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if not locked.is_open:
        raise CircleError(_("This round has closed."))
    return locked


def _require_facilitator(membership: Membership) -> None:
    if not membership.is_facilitator:
        raise CircleError(_("Only the circle's facilitators can do this."))


def _next_waiting(round_: Round) -> RoundEntry | None:
    return (
        RoundEntry.objects.filter(round=round_, done_at__isnull=True)
        .exclude(member_id=round_.holder_id)
        .order_by("joined_at", "id")
        .first()
    )


def _finish_holder(round_: Round, now: datetime) -> None:
    if round_.holder_id is not None:
        RoundEntry.objects.filter(
            round=round_, member_id=round_.holder_id, done_at__isnull=True
        ).update(done_at=now)


@transaction.atomic
def round_open(*, membership: Membership, meeting: Meeting, occurrence: datetime) -> Round:
    _require_facilitator(membership)
    if meeting.circle_id != membership.circle_id or meeting.cancelled_at is not None:
        raise CircleError(_("This meeting does not take place."))
    check_occurrence(meeting, occurrence)
    now = timezone.now()
    end = occurrence + timedelta(minutes=meeting.duration_minutes)
    # A facilitator may open the round early (to get the room ready); never after the meeting.
    if now > end + STAYS_OPEN_AFTER:
        raise CircleError(
            _("This meeting is over, so its round cannot be opened. Open one for a coming meeting.")
        )
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if Round.objects.filter(meeting=meeting, closed_at__isnull=True).exists():
        raise CircleError(_("A round is already open in this meeting."))
    round_ = Round.objects.create(meeting=meeting, occurrence=occurrence, opened_by=membership)
    audit_log(actor=membership.user, action="circles.round.opened", target=round_)
    return round_


@transaction.atomic
def round_join(*, membership: Membership, round_: Round) -> Round:
    """Join the queue (which notes you as present); the piece goes to you if nobody holds it."""
    require_can_post(membership)
    round_ = _locked(round_)
    if RoundEntry.objects.filter(round=round_, member=membership, done_at__isnull=True).exists():
        raise CircleError(_("You are already in the queue."))
    RoundEntry.objects.create(round=round_, member=membership)
    Attendance.objects.get_or_create(
        meeting_id=round_.meeting_id,
        member=membership,
        occurrence=round_.occurrence,
        defaults={"marked_by": membership},
    )
    fields = []
    if round_.holder_id is None:
        round_.holder = membership
        fields.append("holder")
    _changed(round_, *fields)
    return round_


@transaction.atomic
def round_withdraw(*, membership: Membership, round_: Round) -> Round:
    """Step out of the queue; the holder who steps out passes the piece on."""
    round_ = _locked(round_)
    if round_.holder_id == membership.pk:
        return _pass(round_)
    left = RoundEntry.objects.filter(round=round_, member=membership, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    if not left:
        raise CircleError(_("You are not in the queue."))
    _changed(round_)
    return round_


def _pass(round_: Round) -> Round:
    _finish_holder(round_, timezone.now())
    following = _next_waiting(round_)
    round_.holder_id = following.member_id if following is not None else None
    _changed(round_, "holder")
    return round_


@transaction.atomic
def round_pass(*, membership: Membership, round_: Round) -> Round:
    """The holder passes the piece to the next person waiting (a facilitator can move it)."""
    round_ = _locked(round_)
    if round_.holder_id is None:
        raise CircleError(_("Nobody holds the talking piece right now."))
    if round_.holder_id != membership.pk:
        _require_facilitator(membership)
    return _pass(round_)


@transaction.atomic
def round_give(*, membership: Membership, round_: Round, member_id: uuid.UUID) -> Round:
    """A facilitator gives the piece to someone waiting in the queue."""
    _require_facilitator(membership)
    round_ = _locked(round_)
    # Excluding a holder of None excludes nobody: member is never null.
    waiting = (
        RoundEntry.objects.filter(round=round_, member_id=member_id, done_at__isnull=True)
        .exclude(member_id=round_.holder_id)
        .first()
    )
    if waiting is None:
        raise CircleError(_("That person is not waiting in the queue."))
    _finish_holder(round_, timezone.now())
    round_.holder_id = waiting.member_id
    _changed(round_, "holder")
    return round_


@transaction.atomic
def round_close(*, membership: Membership, round_: Round) -> Round:
    _require_facilitator(membership)
    round_ = _locked(round_)
    now = timezone.now()
    RoundEntry.objects.filter(round=round_, done_at__isnull=True).update(done_at=now)
    round_.closed_at = now
    round_.holder = None
    _changed(round_, "closed_at", "holder")
    audit_log(actor=membership.user, action="circles.round.closed", target=round_)
    return round_
