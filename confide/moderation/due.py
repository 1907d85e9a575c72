"""Open reports on a facilitator's home page (through confide.core.due): a count per circle and
a link to the queue, never what a report says or whom it is about."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from confide.accounts.models import User
from confide.circles.due import RUNS, person_memberships
from confide.core.due import DueAsk, DueItem
from confide.moderation.models import Report


def reports_due(user: User, today: dt.date, *, ask: DueAsk | None = None) -> list[DueItem]:
    """One query, none for someone who runs no circle."""
    run = {
        m.circle_id: m.circle
        for m in person_memberships(ask if ask is not None else DueAsk(user, today))
        if m.role in RUNS
    }
    if not run:
        return []
    counts = dict(
        Report.objects.filter(circle_id__in=list(run), resolved_at__isnull=True)
        .values_list("circle_id")
        .annotate(n=Count("id"))
        .values_list("circle_id", "n")
        .order_by()
    )
    return [
        DueItem(
            kind="reports",
            title=ngettext(
                "%(n)d report to review in %(circle)s",
                "%(n)d reports to review in %(circle)s",
                counts[circle_id],
            )
            % {"n": counts[circle_id], "circle": circle.name},
            url=reverse("moderation:queue", args=[circle_id]),
            order=20,
        )
        for circle_id, circle in run.items()
        if circle_id in counts
    ]
