from __future__ import annotations

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_create


def make_pair(a: User, b: User) -> Pair:
    return pair_create(first=a, second=b)
