"""The home page's "due today" item for time together: a plan that starts today."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from confide.core.due import DueAsk, DueItem
from confide.pairs.due import person_pairs
from confide.together import clock, selectors


def due_today(user: Any, today: date, *, ask: DueAsk | None = None) -> list[DueItem]:
    """Plans starting on the person's `today` in their active pairs, titled with the partner's
    name and the time on the person's own clock, never with what was planned (private text).
    One query, none without an active pair."""
    partners = {
        s.pair.pk: s.partner
        for s in person_pairs(ask if ask is not None else DueAsk(user, today)).active
    }
    if not partners:
        return []
    zone = clock.zone_of(user.time_zone)
    items = []
    for plan in selectors.plans_today(pair_ids=list(partners), day=today, zone=zone):
        partner = partners[plan.pair_id]
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
