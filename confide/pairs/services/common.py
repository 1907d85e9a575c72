from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.pairs.models import Pair, PairMember
from confide.pairs.services import PairError


def zone_of(time_zone: str) -> zoneinfo.ZoneInfo:
    """The person's time zone; UTC when the setting is empty or unknown."""
    try:
        return zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def today_for(user: User) -> date:
    """The person's own calendar day, in their time zone."""
    return timezone.localdate(timezone=zone_of(user.time_zone))


def day_for(when: datetime, time_zone: str) -> date:
    """The calendar day a moment fell on for a person in `time_zone` (as `CheckIn.day` is)."""
    return timezone.localdate(when, timezone=zone_of(time_zone))


def active_member(pair: Pair, user: User) -> PairMember:
    member = PairMember.objects.filter(pair=pair, user=user, left_at__isnull=True).first()
    if member is None or not pair.is_active:
        raise PairError("This pair has ended, so nothing new can be added to it.")
    return member


def partner_of(pair: Pair, user: User) -> User | None:
    member = pair.members.exclude(user=user).select_related("user").first()
    return member.user if member is not None else None


def joint_activities_open(pair: Pair) -> None:
    """Prompts and dialogues wait while either partner has paused them."""
    if pair.joint_paused:
        raise PairError(_("Joint activities are paused for now."))
