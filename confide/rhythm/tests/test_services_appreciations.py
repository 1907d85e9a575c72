from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase

from confide.accounts.models import User
from confide.notifications.models import Kind, Notification
from confide.notifications.services import preferences_update
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_leave
from confide.privacy.keys import person_space
from confide.rhythm.models import Appreciation
from confide.rhythm.services import RhythmError
from confide.rhythm.services.appreciations import appreciation_create, appreciation_thank
from confide.rhythm.services.withheld import appreciation_share
from confide.safety.services import CoachFirst

pytestmark = pytest.mark.django_db
WORDS = "canary-appreciation-5e1d: you waited up for me with tea"
CRISIS = "I want to kill myself tonight."
HARSH = "You never listen to me."


def raw_text(appreciation: Appreciation) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT text FROM rhythm_appreciation WHERE id = %s",
            [appreciation.pk.hex if connection.vendor == "sqlite" else appreciation.pk],
        )
        return str(cursor.fetchone()[0])


def test_an_appreciation_is_sealed_in_the_pair_space_and_the_partner_is_told_without_words(
    pair: Pair, alex: User, blake: User
) -> None:
    preferences_update(
        user=blake,
        channels={Kind.APPRECIATION: "email"},
        quiet_start=None,
        quiet_end=None,
        quiet_enabled=False,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        appreciation = appreciation_create(pair=pair, author=alex, text=f"  {WORDS} ")
    assert appreciation.space_id == pair.space_id
    assert appreciation.text == WORDS
    assert WORDS not in raw_text(appreciation)
    assert Appreciation.objects.get().text == WORDS
    note = Notification.objects.get(user=blake, kind=Kind.APPRECIATION)
    assert note.title == "Alex noted something they appreciated"
    assert "canary" not in note.title
    assert note.url.endswith(f"?week={appreciation.day.isoformat()}")
    assert len(mail.outbox) == 1
    assert "canary" not in mail.outbox[0].body
    assert "canary" not in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "Write what you noticed"), ("   ", "Write what you noticed"), ("x" * 1001, "1000")],
)
def test_bad_words_are_refused_and_nothing_is_saved(
    pair: Pair, alex: User, text: str, problem: str
) -> None:
    with pytest.raises(RhythmError, match=problem):
        appreciation_create(pair=pair, author=alex, text=text)
    assert not Appreciation.objects.exists()
    assert not Notification.objects.exists()


def test_an_outsider_or_an_ended_pair_cannot_get_appreciations(
    pair: Pair, alex: User, blake: User, casey: User
) -> None:
    with pytest.raises(RhythmError):
        appreciation_create(pair=pair, author=casey, text=WORDS)
    pair_leave(pair=pair, user=blake)
    pair.refresh_from_db()
    with pytest.raises(RhythmError, match="ended"):
        appreciation_create(pair=pair, author=alex, text=WORDS)
    assert not Appreciation.objects.exists()


def test_harsh_words_bring_the_coach_first_and_save_nothing(pair: Pair, alex: User) -> None:
    with pytest.raises(CoachFirst):
        appreciation_create(pair=pair, author=alex, text=HARSH, send_as_is=False)
    assert not Appreciation.objects.exists()
    appreciation_create(pair=pair, author=alex, text=HARSH, send_as_is=True)
    assert Appreciation.objects.count() == 1


def test_words_of_crisis_stay_with_the_writer_until_they_choose(
    pair: Pair, alex: User, blake: User
) -> None:
    held = appreciation_create(pair=pair, author=alex, text=CRISIS)
    assert held.withheld
    assert not held.shared
    assert held.space_id == person_space(user=alex).pk
    assert not Notification.objects.filter(user=blake).exists()
    appreciation_share(user=alex, appreciation_id=held.pk)
    held.refresh_from_db()
    assert held.shared
    assert not held.withheld
    assert held.space_id == pair.space_id
    assert held.text == CRISIS
    assert Notification.objects.filter(user=blake, kind=Kind.APPRECIATION).count() == 1


def test_the_partner_thanks_with_one_tap_and_a_second_tap_changes_nothing(
    pair: Pair, alex: User, blake: User
) -> None:
    appreciation = appreciation_create(pair=pair, author=alex, text=WORDS)
    thanked = appreciation_thank(appreciation=appreciation, user=blake)
    assert thanked.thanked_at is not None
    note = Notification.objects.get(user=alex, kind=Kind.APPRECIATION_THANKS)
    assert note.title == "Blake thanked you for your appreciation"
    with pytest.raises(RhythmError, match="already thanked"):
        appreciation_thank(appreciation=appreciation, user=blake)
    appreciation.refresh_from_db()
    assert appreciation.thanked_at == thanked.thanked_at
    assert Notification.objects.filter(kind=Kind.APPRECIATION_THANKS).count() == 1


def test_only_the_partner_can_thank(pair: Pair, alex: User, casey: User) -> None:
    appreciation = appreciation_create(pair=pair, author=alex, text=WORDS)
    with pytest.raises(RhythmError, match="your partner wrote"):
        appreciation_thank(appreciation=appreciation, user=alex)
    with pytest.raises(RhythmError):
        appreciation_thank(appreciation=appreciation, user=casey)
    appreciation.refresh_from_db()
    assert appreciation.thanked_at is None


def test_a_held_appreciation_cannot_be_thanked(pair: Pair, alex: User, blake: User) -> None:
    held = appreciation_create(pair=pair, author=alex, text=CRISIS)
    with pytest.raises(RhythmError, match="not found"):
        appreciation_thank(appreciation=held, user=blake)
