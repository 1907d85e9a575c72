"""Open reports on a facilitator's home page (through confide.core.due): a count per circle and
a link to the queue, never what a report says or whom it is about."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from confide.accounts.models import User
from confide.circles.models import Circle, Membership, Role
from confide.core.due import DueItem
from confide.moderation.models import Report


def reports_due(user: User, today: dt.date) -> list[DueItem]:
    facilitated = Membership.objects.filter(
        user=user, left_at__isnull=True, role__in=(Role.OWNER, Role.FACILITATOR)
    ).values("circle_id")
    counts = dict(
        Report.objects.filter(circle_id__in=facilitated, resolved_at__isnull=True)
        .values_list("circle_id")
        .annotate(n=Count("id"))
        .values_list("circle_id", "n")
    )
    if not counts:
        return []
    return [
        DueItem(
            kind="reports",
            title=ngettext(
                "%(n)d report to review in %(circle)s",
                "%(n)d reports to review in %(circle)s",
                counts[circle.pk],
            )
            % {"n": counts[circle.pk], "circle": circle.name},
            url=reverse("moderation:queue", args=[circle.pk]),
            order=20,
        )
        for circle in Circle.objects.filter(pk__in=counts)
    ]
