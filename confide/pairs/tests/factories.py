from __future__ import annotations

from confide.accounts.models import User
from confide.pairs.models import Pair, PairMember
from confide.privacy.keys import space_create
from confide.privacy.models import Space


def make_pair(a: User, b: User) -> Pair:
    pair = Pair.objects.create(space=space_create(kind=Space.Kind.PAIR))
    PairMember.objects.create(pair=pair, user=a)
    PairMember.objects.create(pair=pair, user=b)
    return pair
