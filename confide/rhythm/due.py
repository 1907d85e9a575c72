"""What the rhythm asks of a person today, for the home page (see core.due): the week's small
gesture and today's step of the recovery contract. Calm wording; no counts, no streaks, and no
private text in a title."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.core.due import DueAsk, DueItem
from confide.pairs.due import person_pairs
from confide.pairs.models import Pair
from confide.rhythm import gestures
from confide.rhythm.days import week_start
from confide.rhythm.models import ContractConsent, ContractDay, GesturePick
from confide.rhythm.selectors import contract_on


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


def due_today(user: User, today: date, *, ask: DueAsk | None = None) -> list[DueItem]:
    """The week's gesture and today's contract step for each active pair with a partner: two
    queries, a third only when a pair keeps the contract, none without an active pair."""
    active = [
        (s.pair, s.partner.display_name)
        for s in person_pairs(ask if ask is not None else DueAsk(user, today)).active
        if s.partner is not None
    ]
    if not active:
        return []
    pairs = [pair for pair, _name in active]
    ids = [p.pk for p in pairs]
    picks = {
        p.pair_id: p
        for p in GesturePick.objects.filter(
            pair_id__in=ids, person_id=user.pk, week_start=week_start(today)
        )
        .only("pair_id", "catalogue_id", "done_at")
        .order_by()
    }
    consents: dict[object, dict[int, ContractConsent]] = {}
    for consent in (
        ContractConsent.objects.filter(pair_id__in=ids).only("pair_id", "person_id").order_by()
    ):
        consents.setdefault(consent.pair_id, {})[consent.person_id] = consent
    keeping = [
        p for p in pairs if not p.joint_paused and contract_on(pair=p, found=consents.get(p.pk, {}))
    ]
    days = (
        {
            d.pair_id: d
            for d in ContractDay.objects.filter(pair__in=keeping, day=today, shared=True)
            .only("pair_id", "stated_by_id", "acknowledged_at")
            .order_by()
        }
        if keeping
        else {}
    )
    items: list[DueItem] = []
    for pair, name in active:
        items += _gesture_item(pair, name, picks.get(pair.pk))
        if pair in keeping:
            items += _contract_item(pair, user, name, days.get(pair.pk))
    return items
