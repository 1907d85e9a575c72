"""The rhythm app's export and erasure handler (see confide/privacy/registry.py and
docs/privacy.md). Authors are named "you" or "partner", never by account name."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from confide.accounts.models import User
from confide.pairs.models import PairMember
from confide.privacy.document import iso
from confide.privacy.registry import privacy_handler_register
from confide.rhythm.models import (
    Appreciation,
    Bid,
    ContractConsent,
    ContractDay,
    GestureIdea,
    GesturePick,
    LapseNote,
)


def _who(author_id: int | None, user: User) -> str:
    return "you" if author_id == user.pk else "partner"


def rhythm_export(user: User) -> dict[str, Any]:
    pair_ids = PairMember.objects.filter(user=user).values("pair_id")
    appreciations = Appreciation.objects.filter(
        Q(author=user) | Q(pair_id__in=pair_ids, shared=True, withheld=False)
    ).order_by("created_at")
    contract_days = ContractDay.objects.filter(
        Q(stated_by=user) | Q(pair_id__in=pair_ids, shared=True, withheld=False)
    ).order_by("day")
    return {
        "appreciations": [
            {
                "pair": str(item.pair_id),
                "author": _who(item.author_id, user),
                "text": item.text,
                "shared": item.shared,
                "kept_private_after_screening": item.withheld,
                "day": iso(item.day),
                "thanked_at": iso(item.thanked_at),
            }
            for item in appreciations
        ],
        "gesture_ideas": [
            {"kind": idea.kind, "effort": idea.effort, "text": idea.text}
            for idea in GestureIdea.objects.filter(owner=user).order_by("created_at")
        ],
        "gesture_picks": [
            {
                "week_start": iso(pick.week_start),
                "catalogue_id": pick.catalogue_id,
                "own_idea": bool(pick.idea_id),
                "done_at": iso(pick.done_at),
            }
            for pick in GesturePick.objects.filter(person=user).order_by("week_start")
        ],
        "bids_answered": [
            {"pair": str(bid.pair_id), "kind": bid.kind, "day": iso(bid.day)}
            for bid in Bid.objects.filter(person=user).order_by("created_at")
        ],
        "recovery_contract_consents": [
            {"pair": str(consent.pair_id), "consented_at": iso(consent.consented_at)}
            for consent in ContractConsent.objects.filter(person=user)
        ],
        "recovery_contract_days": [
            {
                "pair": str(day.pair_id),
                "day": iso(day.day),
                "stated_by": _who(day.stated_by_id, user),
                "intention": day.intention,
                "shared": day.shared,
                "kept_private_after_screening": day.withheld,
                "acknowledged": day.acknowledged_at is not None,
            }
            for day in contract_days
        ],
        "lapse_notes": [
            {"day": iso(note.day), "note": note.note}
            for note in LapseNote.objects.filter(author=user).order_by("day")
        ],
    }


def rhythm_erase(user: User) -> None:
    """Delete what the person wrote or chose; an acknowledgement they gave to the partner's
    contract day stays as a kept day, without naming them."""
    Appreciation.objects.filter(author=user).delete()
    GesturePick.objects.filter(person=user).delete()
    GestureIdea.objects.filter(owner=user).delete()
    Bid.objects.filter(person=user).delete()
    ContractConsent.objects.filter(person=user).delete()
    ContractDay.objects.filter(stated_by=user).delete()
    ContractDay.objects.filter(acknowledged_by=user).update(acknowledged_by=None)
    LapseNote.objects.filter(author=user).delete()


def register() -> None:
    privacy_handler_register(
        app="rhythm",
        models=(
            Appreciation,
            GestureIdea,
            GesturePick,
            Bid,
            ContractConsent,
            ContractDay,
            LapseNote,
        ),
        export=rhythm_export,
        erase=rhythm_erase,
    )
