"""What the rhythm asks of a person today, for the home page (see core.due): the week's small
gesture and today's step of the recovery contract. Calm wording; no counts, no streaks, and no
private text in a title."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.core.due import DueItem
from confide.pairs.models import Pair
from confide.rhythm import gestures
from confide.rhythm.days import week_start
from confide.rhythm.models import ContractConsent, ContractDay, GesturePick
from confide.rhythm.selectors import contract_on


def _partner(pair: Pair, user: User) -> User | None:
    return next((m.user for m in pair.members.all() if m.user_id != user.pk), None)


def _gesture_item(pair: Pair, partner: str, pick: GesturePick | None) -> list[DueItem]:
    url = reverse("rhythm:gestures", args=[pair.pk])
    if pick is None:
        return [
            DueItem(
                kind="gesture",
                title=_("Choose a small gesture for %(name)s this week") % {"name": partner},
                url=url,
                order=60,
            )
        ]
    if pick.is_done:
        return []
    listed = gestures.gesture_by_id(pick.catalogue_id) if pick.catalogue_id else None
    return [
        DueItem(
            kind="gesture",
            title=_("Your gesture of the week for %(name)s") % {"name": partner},
            url=url,
            order=60,
            detail=listed.text if listed is not None else "",  # own ideas stay off this page
        )
    ]


def _contract_item(
    pair: Pair, user: User, partner: str, entry: ContractDay | None
) -> list[DueItem]:
    url = reverse("rhythm:contract", args=[pair.pk])
    if entry is None:
        title = _("Today's recovery contract with %(name)s") % {"name": partner}
    elif entry.acknowledged_at is None and entry.stated_by_id != user.pk:
        title = _("Acknowledge %(name)s's intention for today") % {"name": partner}
    else:
        return []
    return [DueItem(kind="contract", title=title, url=url, order=20)]


def due_today(user: User, today: date) -> list[DueItem]:
    pairs = list(
        Pair.objects.filter(
            status=Pair.Status.ACTIVE, members__user=user, members__left_at__isnull=True
        ).prefetch_related("members__user")
    )
    if not pairs:
        return []
    picks = {
        p.pair_id: p
        for p in GesturePick.objects.filter(
            pair__in=pairs, person=user, week_start=week_start(today)
        )
    }
    consents: dict[object, dict[int, ContractConsent]] = {}
    for consent in ContractConsent.objects.filter(pair__in=pairs):
        consents.setdefault(consent.pair_id, {})[consent.person_id] = consent
    days = {
        d.pair_id: d for d in ContractDay.objects.filter(pair__in=pairs, day=today, shared=True)
    }
    items: list[DueItem] = []
    for pair in pairs:
        partner = _partner(pair, user)
        if partner is None:
            continue
        name = partner.display_name
        items += _gesture_item(pair, name, picks.get(pair.pk))
        if not pair.joint_paused and contract_on(pair=pair, found=consents.get(pair.pk, {})):
            items += _contract_item(pair, user, name, days.get(pair.pk))
    return items
