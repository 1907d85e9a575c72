from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine

from confide.accounts.models import User
from confide.notifications.models import Notification
from confide.pairs.models import Pair
from confide.privacy.keys import person_space
from confide.rhythm import gestures, selectors
from confide.rhythm.models import GestureIdea, GesturePick
from confide.rhythm.services import RhythmError
from confide.rhythm.services.gestures import (
    gesture_done,
    gesture_idea_add,
    gesture_idea_delete,
    gesture_pick,
)

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)  # Alex is in Berlin: Monday 10:00
IDEA = "canary-idea-44b0: breakfast in bed on Sunday"


def _first(n: int = 0) -> str:
    return gestures.catalogue()[n].id


@pytest.fixture(autouse=True)
def _monday() -> Iterator[None]:
    with time_machine.travel(MONDAY, tick=False):
        yield


def test_picking_a_gesture_for_the_week_and_changing_it(pair: Pair, alex: User) -> None:
    first = gesture_pick(pair=pair, person=alex, gesture_id=_first(0))
    assert first.week_start == date(2026, 3, 16)
    again = gesture_pick(pair=pair, person=alex, gesture_id=_first(1))
    assert again.pk == first.pk
    assert GesturePick.objects.get().catalogue_id == _first(1)
    assert not Notification.objects.exists()  # a gesture can stay a surprise


@pytest.mark.parametrize(
    ("gesture_id", "use_idea", "problem"),
    [
        ("", False, "Choose one gesture"),
        ("no-such-gesture", False, "not on the list"),
        ("words-1m-01", True, "Choose one gesture"),
    ],
)
def test_a_bad_pick_is_refused(
    pair: Pair, alex: User, gesture_id: str, use_idea: bool, problem: str
) -> None:
    idea = (
        gesture_idea_add(pair=pair, owner=alex, kind="time", effort="minute", text=IDEA)
        if use_idea
        else None
    )
    with pytest.raises(RhythmError, match=problem):
        gesture_pick(pair=pair, person=alex, gesture_id=gesture_id, idea=idea)
    assert not GesturePick.objects.exists()


def test_someone_elses_idea_cannot_be_picked(pair: Pair, alex: User, blake: User) -> None:
    idea = gesture_idea_add(pair=pair, owner=blake, kind="time", effort="minute", text=IDEA)
    with pytest.raises(RhythmError, match="not found"):
        gesture_pick(pair=pair, person=alex, idea=idea)
    assert not GesturePick.objects.exists()


def test_marking_done_twice_is_refused_and_changes_nothing(pair: Pair, alex: User) -> None:
    pick = gesture_pick(pair=pair, person=alex, gesture_id=_first())
    done = gesture_done(pick=pick, person=alex)
    assert done.done_at is not None
    with pytest.raises(RhythmError, match="already marked this gesture done"):
        gesture_done(pick=pick, person=alex)
    pick.refresh_from_db()
    assert pick.done_at == done.done_at


def test_a_done_week_keeps_its_gesture(pair: Pair, alex: User) -> None:
    pick = gesture_pick(pair=pair, person=alex, gesture_id=_first(0))
    gesture_done(pick=pick, person=alex)
    with pytest.raises(RhythmError, match="already done"):
        gesture_pick(pair=pair, person=alex, gesture_id=_first(1))
    assert GesturePick.objects.get().catalogue_id == _first(0)


def test_only_this_weeks_gesture_can_be_marked_done(pair: Pair, alex: User, blake: User) -> None:
    pick = gesture_pick(pair=pair, person=alex, gesture_id=_first())
    with pytest.raises(RhythmError, match="not found"):
        gesture_done(pick=pick, person=blake)
    with (
        time_machine.travel(datetime(2026, 3, 23, 9, 0, tzinfo=UTC), tick=False),
        pytest.raises(RhythmError, match="Only this week's"),
    ):
        gesture_done(pick=pick, person=alex)
    pick.refresh_from_db()
    assert pick.done_at is None


def test_gestures_done_recently_are_not_suggested_again_until_weeks_later(
    pair: Pair, alex: User
) -> None:
    chosen = _first(5)
    gesture_done(pick=gesture_pick(pair=pair, person=alex, gesture_id=chosen), person=alex)

    def suggested(today: date) -> set[str]:
        done, _own = selectors.done_recently(pair=pair, person=alex, today=today)
        page = selectors.suggestions(
            pair=pair, person=alex, today=today, kind="", effort="", done=done, page=1
        )
        return {g.id for g in page.paginator.object_list}

    assert chosen not in suggested(date(2026, 3, 16))
    assert chosen not in suggested(date(2026, 4, 20))  # five weeks on: still resting
    assert chosen in suggested(date(2026, 5, 4))  # seven weeks on: back in the list
    assert len(suggested(date(2026, 5, 4))) == len(gestures.catalogue())


def test_a_picked_but_not_done_gesture_is_still_suggested(pair: Pair, alex: User) -> None:
    chosen = _first(3)
    gesture_pick(pair=pair, person=alex, gesture_id=chosen)
    done, _own = selectors.done_recently(pair=pair, person=alex, today=date(2026, 3, 16))
    assert chosen not in done


def test_own_ideas_are_sealed_in_the_owners_private_space(pair: Pair, alex: User) -> None:
    idea = gesture_idea_add(pair=pair, owner=alex, kind="surprise", effort="evening", text=IDEA)
    assert idea.space_id == person_space(user=alex).pk
    assert GestureIdea.objects.get().text == IDEA
    pick = gesture_pick(pair=pair, person=alex, idea=idea)
    current = selectors.pick_this_week(pair=pair, person=alex, today=date(2026, 3, 16))
    assert current is not None
    assert current.pick == pick
    assert current.text == IDEA


@pytest.mark.parametrize(
    ("kind", "effort", "text", "field"),
    [
        ("hugs", "minute", IDEA, "kind"),
        ("time", "a year", IDEA, "effort"),
        ("time", "minute", "   ", "text"),
        ("time", "minute", "x" * 201, "text"),
    ],
)
def test_a_bad_idea_is_refused(
    pair: Pair, alex: User, kind: str, effort: str, text: str, field: str
) -> None:
    with pytest.raises(RhythmError) as caught:
        gesture_idea_add(pair=pair, owner=alex, kind=kind, effort=effort, text=text)
    assert field in caught.value.message_dict
    assert not GestureIdea.objects.exists()


def test_deleting_an_idea_frees_an_open_week_and_keeps_a_done_one(
    pair: Pair, alex: User, blake: User
) -> None:
    idea = gesture_idea_add(pair=pair, owner=alex, kind="time", effort="minute", text=IDEA)
    gesture_pick(pair=pair, person=alex, idea=idea)
    with pytest.raises(RhythmError):
        gesture_idea_delete(idea=idea, owner=blake)
    gesture_idea_delete(idea=idea, owner=alex)
    assert not GesturePick.objects.exists()
    other = gesture_idea_add(pair=pair, owner=alex, kind="time", effort="minute", text=IDEA)
    gesture_done(pick=gesture_pick(pair=pair, person=alex, idea=other), person=alex)
    gesture_idea_delete(idea=other, owner=alex)
    kept = GesturePick.objects.get()
    assert kept.is_done
    assert kept.idea is None
