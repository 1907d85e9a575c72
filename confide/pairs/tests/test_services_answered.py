"""A reply stays with the words it answered; openings appear once; the coach words its
gentle start-up from what is written now; the felt-understood trend is by person and day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from confide.accounts.models import User
from confide.dialogue.models import Reflection
from confide.dialogue.services.sessions import dialogue_start
from confide.pairs import content
from confide.pairs.models import CheckIn, ListeningReply, Pair, strip_opening
from confide.pairs.selectors import understood_trend
from confide.pairs.services.checkins import (
    checkin_submit,
    checkin_update,
    reply_create,
    understood_rate,
)
from confide.safety.services import CoachFirst
from tests.personas import client_for

pytestmark = pytest.mark.django_db
LUNCH = "You missed me at lunch and I felt it all afternoon."
LATER = "Actually the evening was lovely."
HARSH = "You never listen, you're pathetic"


def _checkin(pair: Pair, author: User, note: str = LUNCH, **change: object) -> CheckIn:
    fields: dict[str, object] = {
        "mood": 2,
        "feelings": ["lonely"],
        "needs": ["closeness"],
        "note": note,
        "visibility": "shared",
        **change,
    }
    return checkin_submit(pair=pair, author=author, **fields)  # type: ignore[arg-type]


def test_a_reply_keeps_the_words_it_answered_when_the_checkin_changes(
    pair: Pair, alex: User, blake: User
) -> None:
    checkin = _checkin(pair, alex)
    reply = reply_create(checkin=checkin, author=blake, kind="reflect", text="that you missed me")
    understood_rate(checkin=checkin, author=alex, rating=4)
    assert reply.answered_earlier(checkin) is None  # unchanged: nothing extra to show
    changed = checkin_update(
        checkin=checkin,
        author=alex,
        mood=4,
        feelings=["content"],
        needs=[],
        note=LATER,
        visibility="shared",
    )
    stored = ListeningReply.objects.get(pk=reply.pk)
    earlier = stored.answered_earlier(changed)
    assert earlier == {"mood": 2, "feelings": ["lonely"], "needs": ["closeness"], "note": LUNCH}
    assert changed.understood == 4  # the rating stays with the replies it was about


def test_the_reply_page_shows_the_earlier_words_beside_the_reply(
    pair: Pair, alex: User, blake: User
) -> None:
    checkin = _checkin(pair, alex)
    reply_create(checkin=checkin, author=blake, kind="reflect", text="you missed me")
    checkin_update(
        checkin=checkin,
        author=alex,
        mood=4,
        feelings=[],
        needs=[],
        note=LATER,
        visibility="shared",
    )
    url = reverse("pairs:checkin_detail", args=[pair.pk, checkin.pk])
    page = client_for(blake).get(url).content.decode()
    assert "Written in answer to the check-in as it was then:" in page
    assert LUNCH in page
    assert LATER in page


def test_the_checkin_form_says_a_reply_keeps_its_words_before_editing(
    pair: Pair, alex: User, blake: User
) -> None:
    client = client_for(alex)
    url = reverse("pairs:checkin", args=[pair.pk])
    checkin = _checkin(pair, alex)
    assert "has already answered" not in client.get(url).content.decode()
    reply_create(checkin=checkin, author=blake, kind="acknowledge", text="")
    page = client.get(url).content.decode()
    assert "Blake has already answered this check-in." in page
    assert "each reply stays shown with the words it answered" in page


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("What I hear is that the day felt long.", "that the day felt long."),
        ("what i hear is… that you were tired", "that you were tired"),
        ("What I hear is... you were tired", "you were tired"),
        ("What I hear is: you were tired", "you were tired"),
        ("that you were tired", "that you were tired"),
        ("What I hearing is odd", "What I hearing is odd"),
    ],
)
def test_a_typed_opening_is_not_repeated(typed: str, kept: str) -> None:
    assert strip_opening(typed, "What I hear is") == kept


def test_the_opening_appears_once_on_the_page(pair: Pair, alex: User, blake: User) -> None:
    checkin = _checkin(pair, alex)
    reply = reply_create(
        checkin=checkin, author=blake, kind="reflect", text="What I hear is… that you were alone"
    )
    assert reply.text == "that you were alone"
    url = reverse("pairs:checkin_detail", args=[pair.pk, checkin.pk])
    page = client_for(alex).get(url).content.decode()
    assert page.count("What I hear is") == 1
    assert "<em>What I hear is</em> that you were alone" in page


def test_the_coach_builds_on_the_words_written_now_not_earlier_ticks(
    pair: Pair, alex: User
) -> None:
    # Earlier today: a hopeful check-in. Later, in anger, the same form (still ticked) with
    # harsh words and a painful feeling.
    checkin = _checkin(pair, alex, note="A good morning.", feelings=["hopeful"], needs=[])
    with pytest.raises(CoachFirst) as held:
        checkin_update(
            checkin=checkin,
            author=alex,
            mood=1,
            feelings=["hopeful", "hurt"],
            needs=["to be heard"],
            note=HARSH,
            visibility="shared",
            send_as_is=False,
        )
    assert held.value.coaching is not None
    rewrite = held.value.coaching.rewrite
    assert "hopeful" not in rewrite
    assert "hurt" in rewrite
    assert "to be heard" in rewrite
    assert "when you don't listen" in rewrite
    assert "pathetic" not in rewrite


def test_the_coach_leaves_a_gap_when_only_pleasant_words_are_ticked(pair: Pair, alex: User) -> None:
    with pytest.raises(CoachFirst) as held:
        _checkin(pair, alex, note=HARSH, feelings=["hopeful"], needs=[], send_as_is=False)
    assert held.value.coaching is not None
    assert held.value.coaching.rewrite.startswith("I feel … about when you don't listen")


def test_the_common_words_are_listed_words() -> None:
    assert set(content.COMMON_FEELINGS) <= content.feeling_words()
    assert set(content.COMMON_NEEDS) <= content.need_words()


def test_the_trend_keeps_two_partners_with_one_name_apart(
    pair: Pair, alex: User, blake: User
) -> None:
    User.objects.filter(pk__in=[alex.pk, blake.pk]).update(display_name="Sam")
    alex.refresh_from_db()
    blake.refresh_from_db()
    with time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        for writer, reader, rating in ((alex, blake, 2), (blake, alex, 5)):
            checkin = _checkin(pair, writer)
            reply_create(checkin=checkin, author=reader, kind="acknowledge", text="")
            understood_rate(checkin=checkin, author=writer, rating=rating)
    week = understood_trend(pair=pair, viewer=alex)[-1]
    assert sorted(week.by_person.values()) == [2, 5]
    assert sorted(str(rater) for rater in week.by_person) == ["Sam", "You"]


def test_a_reflection_counts_on_the_raters_own_day(pair: Pair, alex: User, blake: User) -> None:
    # Blake lives in Auckland: Sunday 29 November 23:30 UTC is already Monday 30 there.
    User.objects.filter(pk=blake.pk).update(time_zone="Pacific/Auckland")
    blake.refresh_from_db()
    session = dialogue_start(pair=pair, starter=alex)
    Reflection.objects.create(
        session=session,
        author=blake,
        understood=3,
        created_at=datetime(2026, 11, 29, 23, 30, tzinfo=UTC),
    )
    with time_machine.travel(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), tick=False):
        checkin = _checkin(pair, blake)  # Blake's day: Monday 30 November
        reply_create(checkin=checkin, author=alex, kind="acknowledge", text="")
        understood_rate(checkin=checkin, author=blake, rating=5)
    assert checkin.day == date(2026, 11, 30)
    weeks = understood_trend(pair=pair, viewer=alex)
    assert [w.week_start for w in weeks] == [date(2026, 11, 30)]
    assert list(weeks[0].by_person.values()) == [4.0]


def test_editing_another_days_checkin_is_refused_and_changes_nothing(
    pair: Pair, alex: User
) -> None:
    with time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        earlier = _checkin(pair, alex)
    client = client_for(alex)
    url = reverse("pairs:checkin", args=[pair.pk])
    form = {"mood": "5", "note": "Rewritten.", "visibility": "shared", "checkin": str(earlier.pk)}
    with time_machine.travel(datetime(2026, 11, 26, 12, tzinfo=UTC), tick=False):
        response = client.post(url, form)
    assert "A check-in can only be changed on its own day." in response.content.decode()
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get(pk=earlier.pk).note == LUNCH
