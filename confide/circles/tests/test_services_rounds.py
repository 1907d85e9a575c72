from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine

from confide.circles import selectors_meetings
from confide.circles.models import Attendance, Meeting, Membership, Round
from confide.circles.services import CircleError
from confide.circles.services.guidelines import guidelines_publish
from confide.circles.services.meetings import meeting_create
from confide.circles.services.rounds import (
    round_close,
    round_give,
    round_join,
    round_open,
    round_pass,
    round_withdraw,
)

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)


@pytest.fixture
def meeting(facilitator: Membership) -> Meeting:
    with time_machine.travel(START - timedelta(days=3), tick=False):
        return meeting_create(
            membership=facilitator,
            title="Weekly",
            start_date=date(2026, 3, 19),
            start_time=time(19, 0),
            time_zone="Europe/Berlin",
            duration_minutes=60,
            rrule="FREQ=WEEKLY",
            location="",
            agenda="",
        )


@pytest.fixture
def during() -> Any:
    with time_machine.travel(START + timedelta(minutes=5), tick=False) as traveller:
        yield traveller


def _state(round_: Round, viewer: Membership) -> dict[str, Any]:
    return selectors_meetings.round_state(round_id=round_.pk, viewer=viewer)


def test_only_a_facilitator_opens_a_round_early_or_during_but_never_after_the_meeting(
    meeting: Meeting, facilitator: Membership, alex_member: Membership
) -> None:
    with (
        time_machine.travel(START + timedelta(days=1), tick=False),
        pytest.raises(CircleError, match="This meeting is over"),
    ):
        round_open(membership=facilitator, meeting=meeting, occurrence=START)
    with time_machine.travel(START, tick=False):
        with pytest.raises(CircleError, match="facilitators"):
            round_open(membership=alex_member, meeting=meeting, occurrence=START)
        with pytest.raises(CircleError, match="does not take place"):
            round_open(
                membership=facilitator, meeting=meeting, occurrence=START + timedelta(hours=1)
            )
        round_open(membership=facilitator, meeting=meeting, occurrence=START)
        with pytest.raises(CircleError, match="already open"):
            round_open(membership=facilitator, meeting=meeting, occurrence=START)
    assert Round.objects.count() == 1


def test_a_facilitator_opens_the_round_hours_before_the_meeting(
    meeting: Meeting, facilitator: Membership
) -> None:
    with time_machine.travel(START - timedelta(hours=2), tick=False):
        round_ = round_open(membership=facilitator, meeting=meeting, occurrence=START)
    assert round_.is_open


def test_the_talking_piece_goes_along_the_queue(
    meeting: Meeting,
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    during: Any,
) -> None:
    round_ = round_open(membership=facilitator, meeting=meeting, occurrence=START)
    round_join(membership=alex_member, round_=round_)
    state = _state(round_, blake_member)
    assert state["holder"] == {"id": str(alex_member.pk), "name": "Harbour"}
    assert state["queue"] == []
    round_join(membership=blake_member, round_=round_)
    with pytest.raises(CircleError, match="already in the queue"):
        round_join(membership=blake_member, round_=round_)
    state = _state(round_, blake_member)
    assert [item["name"] for item in state["queue"]] == ["Willow"]
    assert state["you_wait"] and not state["you_hold"]
    with pytest.raises(CircleError, match="facilitators"):
        round_pass(membership=blake_member, round_=round_)  # not the holder
    round_pass(membership=alex_member, round_=round_)
    state = _state(round_, blake_member)
    assert state["you_hold"]
    assert state["holder"]["name"] == "Willow"
    # Joining the queue notes each person as present.
    assert Attendance.objects.filter(meeting=meeting, occurrence=START).count() == 2
    round_pass(membership=blake_member, round_=round_)
    assert _state(round_, alex_member)["holder"] is None
    with pytest.raises(CircleError, match="Nobody holds"):
        round_pass(membership=alex_member, round_=round_)


def test_a_facilitator_moves_the_piece_and_closes_the_round(
    meeting: Meeting,
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    during: Any,
) -> None:
    round_ = round_open(membership=facilitator, meeting=meeting, occurrence=START)
    round_join(membership=alex_member, round_=round_)
    round_join(membership=blake_member, round_=round_)
    with pytest.raises(CircleError, match="facilitators"):
        round_give(membership=alex_member, round_=round_, member_id=blake_member.pk)
    with pytest.raises(CircleError, match="not waiting"):
        round_give(membership=facilitator, round_=round_, member_id=alex_member.pk)
    round_give(membership=facilitator, round_=round_, member_id=blake_member.pk)
    assert _state(round_, facilitator)["holder"]["name"] == "Willow"
    round_withdraw(membership=blake_member, round_=round_)  # the holder steps out: passes on
    assert _state(round_, facilitator)["holder"] is None
    round_close(membership=facilitator, round_=round_)
    state = _state(round_, alex_member)
    assert not state["open"]
    with pytest.raises(CircleError, match="closed"):
        round_join(membership=alex_member, round_=round_)


def test_joining_a_round_needs_the_current_guidelines(
    meeting: Meeting, facilitator: Membership, alex_member: Membership, during: Any
) -> None:
    round_ = round_open(membership=facilitator, meeting=meeting, occurrence=START)
    guidelines_publish(membership=facilitator, text="Fresh words")
    alex_member.refresh_from_db()
    with pytest.raises(CircleError, match="guidelines"):
        round_join(membership=alex_member, round_=round_)
    with pytest.raises(CircleError, match="not in the queue"):
        round_withdraw(membership=alex_member, round_=round_)


def test_closing_the_round_opens_the_rating_for_those_who_joined_it(
    meeting: Meeting, facilitator: Membership, alex_member: Membership, during: Any
) -> None:
    from confide.circles.services.meetings import rating_submit

    answers = {"heard": 4, "safe": 4, "together": 4, "come_back": 4}
    round_ = round_open(membership=facilitator, meeting=meeting, occurrence=START)
    round_join(membership=alex_member, round_=round_)
    with pytest.raises(CircleError, match="opens at the close"):
        rating_submit(membership=alex_member, meeting=meeting, occurrence=START, answers=answers)
    round_close(membership=facilitator, round_=round_)
    rating_submit(membership=alex_member, meeting=meeting, occurrence=START, answers=answers)
