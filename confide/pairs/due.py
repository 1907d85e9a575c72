"""Today's check-in, for the home page's calm list of what is due (confide.core.due), and the
person's pairs, read once for the page and the other apps' providers (`person_pairs`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.core.due import DueAsk, DueItem
from confide.pairs.models import CheckIn, Pair, PairMember
from confide.pairs.selectors import PairSummary


@dataclass(frozen=True)
class PersonPairs:
    """Every pair a person was ever in, with each pair's members loaded (of their accounts, the
    display name alone), so naming a partner or counting who is still in costs no query."""

    every: list[PairSummary]  # as pairs_for_person: by status, newest first
    active: list[PairSummary]  # active pairs the person has not left, oldest first
    not_left: list[uuid.UUID]  # pairs (of any status) the person has not left
    checked_in_today: frozenset[uuid.UUID]  # pairs with the person's check-in of `today`


def _person_pairs_read(user: User, today: date) -> PersonPairs:
    # Each member's account is read for the partner's name alone: nothing else is shown here.
    members = PairMember.objects.select_related("user").only(
        "pair_id", "user_id", "left_at", "user__display_name"
    )
    pairs = (
        Pair.objects.filter(members__user=user)
        .annotate(
            checked_in=Exists(
                CheckIn.objects.filter(pair=OuterRef("pk"), author=user, day=today).order_by()
            )
        )
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("status", "-created_at")
    )
    every, active, not_left, done = [], [], [], set()
    for pair in pairs:
        mine = next(m for m in pair.members.all() if m.user_id == user.pk)
        partner = next((m.user for m in pair.members.all() if m.user_id != user.pk), None)
        summary = PairSummary(pair, partner)
        every.append(summary)
        if mine.left_at is None:
            not_left.append(pair.pk)
            if pair.is_active:
                active.append(summary)
        if pair.checked_in:
            done.add(pair.pk)
    active.sort(key=lambda s: s.pair.created_at)
    return PersonPairs(every, active, not_left, frozenset(done))


def person_pairs(ask: DueAsk) -> PersonPairs:
    """The person's pairs for this ask: two queries the first time, none after."""
    return ask.shared("pairs.person_pairs", lambda: _person_pairs_read(ask.person, ask.today))


def due_today(user: User, today: date, *, ask: DueAsk | None = None) -> list[DueItem]:
    """A check-in for each active pair the person has not checked in to today."""
    known = person_pairs(ask if ask is not None else DueAsk(user, today))
    return [
        DueItem(
            kind="checkin",
            title=(
                _("Check in with %(name)s") % {"name": summary.partner.display_name}
                if summary.partner is not None
                else _("Today's check-in")
            ),
            url=reverse("pairs:checkin", args=[summary.pair.pk]),
            order=10,
        )
        for summary in known.active
        if summary.pair.pk not in known.checked_in_today
    ]
