"""Bids for connection, noted with one tap: no text, no judgement, nothing to fill in."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.pairs.services.common import today_for
from confide.rhythm.models import Bid, BidKind
from confide.rhythm.services import RhythmError
from confide.rhythm.services.common import member_of

# A second tap of the same button this soon is the same moment (a double click, a resent
# form), not another bid.
SAME_MOMENT: Final = timedelta(minutes=1)


@transaction.atomic
def bid_note(*, pair: Pair, person: User, kind: str) -> Bid:
    """Note that one turned toward the partner's bid, or came back to one missed earlier."""
    member_of(pair, person)
    if kind not in BidKind.values:
        raise RhythmError(_("Choose one of the two notes."))
    now = timezone.now()
    # Taking the pair row's lock serialises two taps that arrive together.
    Pair.objects.select_for_update().filter(pk=pair.pk).first()
    if Bid.objects.filter(
        pair=pair, person=person, kind=kind, created_at__gt=now - SAME_MOMENT
    ).exists():
        raise RhythmError(_("Noted already, a moment ago."))
    return Bid.objects.create(
        pair=pair, person=person, kind=kind, day=today_for(person), created_at=now
    )
