"""Today's check-in, for the home page's calm list of what is due (confide.core.due)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.core.due import DueItem
from confide.pairs.models import CheckIn, Pair


def due_today(user: User, today: date) -> list[DueItem]:
    """A check-in for each active pair the person has not checked in to today. Two queries."""
    pairs = list(
        Pair.objects.filter(
            status=Pair.Status.ACTIVE, members__user=user, members__left_at__isnull=True
        ).prefetch_related("members__user")
    )
    done = set(
        CheckIn.objects.filter(author=user, day=today, pair__in=pairs).values_list(
            "pair_id", flat=True
        )
    )
    items = []
    for pair in pairs:
        if pair.pk in done:
            continue
        partner = next((m.user for m in pair.members.all() if m.user_id != user.pk), None)
        title = (
            _("Check in with %(name)s") % {"name": partner.display_name}
            if partner is not None
            else _("Today's check-in")
        )
        items.append(
            DueItem(
                kind="checkin", title=title, url=reverse("pairs:checkin", args=[pair.pk]), order=10
            )
        )
    return items
