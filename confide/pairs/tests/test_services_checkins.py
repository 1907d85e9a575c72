from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection

from confide.accounts.models import User
from confide.notifications.models import Notification
from confide.pairs.models import CheckIn, ListeningReply, Pair
from confide.pairs.services import PairError
from confide.pairs.services.checkins import (
    checkin_submit,
    checkin_update,
    reply_create,
    understood_rate,
)
from confide.pairs.services.pairing import pair_leave
from confide.privacy.keys import person_space

pytestmark = pytest.mark.django_db
NOTE = "canary-note-7f3a: I felt alone at dinner"


def submit(pair: Pair, author: User, **change: object) -> CheckIn:
    fields: dict[str, object] = {
        "mood": 3,
        "feelings": ["tender", "tired"],
        "needs": ["rest"],
        "note": NOTE,
        "visibility": "shared",
        **change,
    }
    return checkin_submit(pair=pair, author=author, **fields)  # type: ignore[arg-type]


def raw_note(checkin: CheckIn) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note FROM pairs_checkin WHERE id = %s",
            [checkin.pk.hex if connection.vendor == "sqlite" else checkin.pk],
        )
        return str(cursor.fetchone()[0])


def test_a_shared_checkin_is_sealed_in_the_pair_space_and_tells_the_partner(
    pair: Pair, alex: User, blake: User
) -> None:
    checkin = submit(pair, alex)
    assert checkin.space_id == pair.space_id
    assert NOTE not in raw_note(checkin)
    assert CheckIn.objects.get(pk=checkin.pk).note == NOTE
    note = Notification.objects.get(user=blake, kind="partner_checkin")
    assert NOTE not in note.title


def test_a_private_checkin_lives_in_the_authors_own_space_and_tells_nobody(
    pair: Pair, alex: User
) -> None:
    checkin = submit(pair, alex, visibility="private")
    assert checkin.space_id == person_space(user=alex).pk
    assert not Notification.objects.filter(kind="partner_checkin").exists()


def test_one_checkin_per_person_per_pair_per_day(pair: Pair, alex: User, blake: User) -> None:
    submit(pair, alex)
    with pytest.raises(PairError, match="already checked in today"):
        submit(pair, alex, mood=5)
    assert CheckIn.objects.filter(author=alex).count() == 1
    submit(pair, blake)  # the partner has their own


def test_the_day_is_the_authors_own_day(pair: Pair, alex: User, blake: User) -> None:
    alex.time_zone = "Pacific/Auckland"  # UTC+13 in November
    alex.save()
    with time_machine.travel(datetime(2026, 11, 22, 11, 30, tzinfo=UTC), tick=False):
        first = submit(pair, alex)
        assert str(first.day) == "2026-11-23"
    with time_machine.travel(datetime(2026, 11, 22, 10, 59, tzinfo=UTC), tick=False):
        assert str(submit(pair, blake).day) == "2026-11-22"


def test_a_checkin_can_be_changed_only_on_its_own_day(pair: Pair, alex: User) -> None:
    with time_machine.travel(datetime(2026, 11, 22, 9, tzinfo=UTC), tick=False):
        checkin = submit(pair, alex)
        checkin_update(
            checkin=checkin,
            author=alex,
            mood=5,
            feelings=[],
            needs=[],
            note="better",
            visibility="private",
        )
        fresh = CheckIn.objects.get(pk=checkin.pk)
        assert (fresh.mood, fresh.note, fresh.visibility) == (5, "better", "private")
        assert fresh.space_id == person_space(user=alex).pk
    with (
        time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=False),
        pytest.raises(PairError, match="own day"),
    ):
        checkin_update(
            checkin=checkin,
            author=alex,
            mood=1,
            feelings=[],
            needs=[],
            note="",
            visibility="shared",
        )
    assert CheckIn.objects.get(pk=checkin.pk).mood == 5


def test_only_the_author_can_change_a_checkin(pair: Pair, alex: User, blake: User) -> None:
    checkin = submit(pair, alex)
    with pytest.raises(PairError, match="Only the person who wrote"):
        checkin_update(
            checkin=checkin,
            author=blake,
            mood=1,
            feelings=[],
            needs=[],
            note="",
            visibility="shared",
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mood": 0}, "from 1 to 5"),
        ({"mood": 6}, "from 1 to 5"),
        ({"feelings": ["tender", "furious-ish"]}, "not one of the listed words"),
        ({"needs": ["a pony"]}, "not one of the listed words"),
        ({"note": "x" * 2001}, "2000 characters"),
        ({"visibility": "everyone"}, "who may see"),
    ],
)
def test_bad_checkins_are_refused_and_change_nothing(
    pair: Pair, alex: User, change: dict[str, object], message: str
) -> None:
    with pytest.raises(PairError, match=message):
        submit(pair, alex, **change)
    assert not CheckIn.objects.exists()


def test_partner_replies_to_a_shared_checkin_and_the_sharer_rates_it(
    pair: Pair, alex: User, blake: User
) -> None:
    checkin = submit(pair, alex)
    reply = reply_create(
        checkin=checkin, author=blake, kind="reflect", text="What I hear is a long day."
    )
    assert reply.space_id == pair.space_id
    assert Notification.objects.filter(user=alex, kind="listening_reply").exists()
    ack = reply_create(checkin=checkin, author=blake, kind="acknowledge", text="ignored words")
    assert ack.text == ""
    understood_rate(checkin=checkin, author=alex, rating=4)
    assert CheckIn.objects.get(pk=checkin.pk).understood == 4


@pytest.mark.parametrize(
    ("who", "kind", "text", "visibility", "message"),
    [
        ("alex", "reflect", "hi", "shared", "partner's check-ins"),
        ("blake", "reflect", "hi", "private", "not shared with you"),
        ("blake", "reflect", "   ", "shared", "Write a few words"),
        ("blake", "shout", "hi", "shared", "how you want to reply"),
        ("blake", "validate", "y" * 2001, "shared", "2000 characters"),
    ],
)
def test_bad_replies_are_refused(
    pair: Pair,
    alex: User,
    blake: User,
    who: str,
    kind: str,
    text: str,
    visibility: str,
    message: str,
) -> None:
    checkin = submit(pair, alex, visibility=visibility)
    author = {"alex": alex, "blake": blake}[who]
    with pytest.raises(PairError, match=message):
        reply_create(checkin=checkin, author=author, kind=kind, text=text)
    assert not ListeningReply.objects.exists()


def test_the_same_kind_of_reply_twice_is_refused(pair: Pair, alex: User, blake: User) -> None:
    checkin = submit(pair, alex)
    reply_create(checkin=checkin, author=blake, kind="validate", text="It makes sense.")
    with pytest.raises(PairError, match="already replied this way"):
        reply_create(checkin=checkin, author=blake, kind="validate", text="Again.")


def test_understood_needs_a_reply_a_valid_rating_and_the_sharer(
    pair: Pair, alex: User, blake: User
) -> None:
    checkin = submit(pair, alex)
    with pytest.raises(PairError, match="once your partner has replied"):
        understood_rate(checkin=checkin, author=alex, rating=3)
    reply_create(checkin=checkin, author=blake, kind="acknowledge", text="")
    with pytest.raises(PairError, match="Only the person who shared"):
        understood_rate(checkin=checkin, author=blake, rating=3)
    with pytest.raises(PairError, match="from 1 to 5"):
        understood_rate(checkin=checkin, author=alex, rating=9)
    assert CheckIn.objects.get(pk=checkin.pk).understood is None


def test_nothing_can_be_added_after_the_pair_ended(pair: Pair, alex: User, blake: User) -> None:
    checkin = submit(pair, alex)
    pair_leave(pair=pair, user=blake)
    with pytest.raises(PairError, match="ended"):
        submit(pair, blake)
    with pytest.raises(PairError, match="ended"):
        reply_create(checkin=checkin, author=blake, kind="reflect", text="late")
