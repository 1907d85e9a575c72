from __future__ import annotations

import zoneinfo
from datetime import date

from django.utils import timezone

from confide.accounts.models import User


def zone_for(user: User) -> zoneinfo.ZoneInfo:
    """The person's time zone; UTC if the stored name is unknown here."""
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def today_for(user: User) -> date:
    return timezone.localdate(timezone=zone_for(user))
