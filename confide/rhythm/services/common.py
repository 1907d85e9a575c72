from __future__ import annotations

from confide.accounts.models import User
from confide.pairs.models import Pair, PairMember
from confide.pairs.services import PairError
from confide.pairs.services.common import active_member
from confide.rhythm.services import RhythmError


def member_of(pair: Pair, user: User) -> PairMember:
    """The person's membership of an active pair, or a RhythmError saying why not."""
    try:
        return active_member(pair, user)
    except PairError as error:
        raise RhythmError(error.messages[0]) from error
