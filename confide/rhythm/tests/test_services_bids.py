from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_leave
from confide.rhythm import selectors
from confide.rhythm.models import Bid
from confide.rhythm.services import RhythmError
from confide.rhythm.services.bids import bid_note

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 18, 11, 0, tzinfo=UTC)  # Wednesday


def test_a_bid_is_one_tap_on_the_persons_own_day(pair: Pair, alex: User) -> None:
    alex.time_zone = "Pacific/Auckland"
    alex.save()
    with time_machine.travel(NOON, tick=False):
        bid = bid_note(pair=pair, person=alex, kind="turned_toward")
    assert bid.day == date(2026, 3, 19)  # already Thursday in Auckland


def test_a_second_tap_of_the_same_note_within_a_minute_is_the_same_moment(
    pair: Pair, alex: User
) -> None:
    with time_machine.travel(NOON, tick=False) as traveller:
        bid_note(pair=pair, person=alex, kind="turned_toward")
        with pytest.raises(RhythmError, match="Noted already"):
            bid_note(pair=pair, person=alex, kind="turned_toward")
        assert Bid.objects.count() == 1
        bid_note(pair=pair, person=alex, kind="came_back")  # the other note is another moment
        traveller.shift(timedelta(minutes=2))
        bid_note(pair=pair, person=alex, kind="turned_toward")
    assert Bid.objects.count() == 3


@pytest.mark.parametrize("kind", ["", "ignored", "TURNED_TOWARD"])
def test_an_unknown_note_is_refused(pair: Pair, alex: User, kind: str) -> None:
    with pytest.raises(RhythmError, match="one of the two"):
        bid_note(pair=pair, person=alex, kind=kind)
    assert not Bid.objects.exists()


def test_outsiders_and_ended_pairs_are_refused(
    pair: Pair, alex: User, blake: User, casey: User
) -> None:
    with pytest.raises(RhythmError):
        bid_note(pair=pair, person=casey, kind="turned_toward")
    pair_leave(pair=pair, user=alex)
    pair.refresh_from_db()
    with pytest.raises(RhythmError):
        bid_note(pair=pair, person=blake, kind="turned_toward")
    assert not Bid.objects.exists()


def test_the_weekly_summary_shows_both_partners(pair: Pair, alex: User, blake: User) -> None:
    with time_machine.travel(NOON, tick=False) as traveller:
        bid_note(pair=pair, person=alex, kind="turned_toward")
        bid_note(pair=pair, person=alex, kind="came_back")
        bid_note(pair=pair, person=blake, kind="turned_toward")
        traveller.shift(timedelta(days=-7))
        bid_note(pair=pair, person=blake, kind="came_back")
    weeks = selectors.bid_summary(pair=pair, viewer=blake, today=date(2026, 3, 18))
    assert len(weeks) == 4
    assert (weeks[0].of(alex.pk).turned_toward, weeks[0].of(alex.pk).came_back) == (1, 1)
    assert weeks[0].of(blake.pk).turned_toward == 1
    assert weeks[1].of(blake.pk).came_back == 1
    assert weeks[0].noticed == 3


def test_an_ended_pair_shows_each_only_their_own(pair: Pair, alex: User, blake: User) -> None:
    with time_machine.travel(NOON, tick=False):
        bid_note(pair=pair, person=alex, kind="turned_toward")
        bid_note(pair=pair, person=blake, kind="turned_toward")
    pair_leave(pair=pair, user=alex)
    pair.refresh_from_db()
    weeks = selectors.bid_summary(pair=pair, viewer=blake, today=date(2026, 3, 18))
    assert set(weeks[0].by_person) == {blake.pk}
