"""The home page's "due today" item for time together: a plan that starts today."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from confide.core.due import DueItem
from confide.together import clock, selectors


def due_today(user: Any, today: date) -> list[DueItem]:
    """Plans starting on the person's `today`, titled with the partner's name and the time on
    the person's own clock, never with what was planned (private text). Two queries."""
    zone = clock.zone_of(user.time_zone)
    items = []
    for plan in selectors.plans_today(user=user, day=today, zone=zone):
        partner = next((m.user for m in plan.pair.members.all() if m.user_id != user.pk), None)
        title = (
            _("Time together with %(name)s") % {"name": partner.display_name}
            if partner is not None
            else _("Time together")
        )
        at = plan.starts_at.astimezone(zone)
        items.append(
            DueItem(
                kind="planned_time",
                title=title,
                url=reverse("together:plan", args=[plan.pair_id, plan.pk]),
                order=30,
                detail=_("at %(time)s") % {"time": f"{at:%H:%M}"},
            )
        )
    return items
