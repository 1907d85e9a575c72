"""Today's check-in on the home page, and the person's pairs read once for the whole page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from confide.accounts.models import User
from confide.core.due import DueAsk
from confide.pairs.due import due_today, person_pairs
from confide.pairs.models import Pair
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.services.common import today_for
from confide.pairs.services.pairing import pair_create, pair_leave, pair_pause

pytestmark = pytest.mark.django_db


def _today(user: User) -> date:
    return today_for(user)


def test_each_active_pair_asks_for_a_check_in_until_it_is_done(
    pair: Pair, alex: User, casey: User
) -> None:
    second = pair_create(first=alex, second=casey)
    titles = sorted(str(i.title) for i in due_today(alex, _today(alex)))
    assert titles == ["Check in with Blake", "Check in with Casey"]
    checkin_submit(
        pair=second, author=alex, mood=3, feelings=[], needs=[], note="", visibility="private"
    )
    assert [str(i.title) for i in due_today(alex, _today(alex))] == ["Check in with Blake"]


def test_a_paused_pair_still_asks_but_a_left_or_ended_one_does_not(
    pair: Pair, alex: User, blake: User
) -> None:
    pair_pause(pair=pair, user=blake)
    assert [i.kind for i in due_today(alex, _today(alex))] == ["checkin"]
    pair_leave(pair=pair, user=blake)
    assert due_today(alex, _today(alex)) == []
    assert due_today(blake, _today(blake)) == []


def test_yesterdays_check_in_does_not_count_for_today(pair: Pair, alex: User) -> None:
    with time_machine.travel("2026-03-17 12:00Z", tick=False):
        checkin_submit(
            pair=pair, author=alex, mood=3, feelings=[], needs=[], note="", visibility="shared"
        )
    with time_machine.travel("2026-03-18 12:00Z", tick=False):
        assert [i.kind for i in due_today(alex, _today(alex))] == ["checkin"]


def test_the_pairs_are_read_once_in_two_queries_and_name_partners_for_free(
    pair: Pair, alex: User, blake: User, casey: User, django_assert_num_queries: Any
) -> None:
    ended = pair_create(first=alex, second=casey)
    pair_leave(pair=ended, user=alex)
    left_by_partner = pair_create(first=alex, second=blake)
    pair_leave(pair=left_by_partner, user=blake)
    ask = DueAsk(alex, _today(alex))
    with django_assert_num_queries(2):
        known = person_pairs(ask)
        names = [s.partner.display_name for s in known.every if s.partner is not None]
        assert person_pairs(ask) is known
        due_today(alex, ask.today, ask=ask)
    # Active first, then newest first: the home page's own order.
    assert [s.pair.pk for s in known.every] == [pair.pk, left_by_partner.pk, ended.pk]
    assert names == ["Blake", "Blake", "Casey"]
    assert [s.pair.pk for s in known.active] == [pair.pk]
    # The ended pair Alex never left still counts as theirs (a counsellor's homework, say).
    assert set(known.not_left) == {pair.pk, left_by_partner.pk}


def test_someone_without_a_pair_costs_one_query(
    casey: User, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        assert due_today(casey, _today(casey)) == []
