from __future__ import annotations

import zoneinfo
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.pairs.models import Pair, PairMember
from confide.pairs.services import PairError


def today_for(user: User) -> date:
    """The person's own calendar day, in their time zone."""
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


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
