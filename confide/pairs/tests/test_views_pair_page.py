"""The pair page and history read little (issue 14): today's check-ins come from the newest
page, replies are counted rather than loaded, and each card's words are the viewer's to see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.pairs import selectors
from confide.pairs.models import CheckIn, ListeningReply, Pair
from confide.pairs.services.checkins import checkin_submit, reply_create
from confide.pairs.services.common import today_for
from tests.personas import client_for

pytestmark = pytest.mark.django_db
CRISIS = "Everyone would be better off without me."


def _checkin(pair: Pair, author: User, day: dt.date, note: str) -> CheckIn:
    checkin = CheckIn(
        pair=pair, author=author, day=day, mood=3, visibility="shared", space=pair.space,
        note=note, feelings_text="tender", needs_text="rest",
    )  # fmt: skip
    checkin.save()
    return checkin


@pytest.mark.parametrize(
    ("days_ahead", "older_days"),
    [(0, 0), (0, 20), (3, 20), (6, 20), (7, 0), (7, 20), (9, 20)],
)
def test_todays_check_ins_are_found_whatever_fills_the_newest_page(
    pair: Pair, alex: User, blake: User, days_ahead: int, older_days: int
) -> None:
    """Later days (a partner ahead in time zones, a moved clock) may fill the newest page;
    today's check-ins are still today's."""
    today = today_for(alex)
    mine = _checkin(pair, alex, today, "mine today")
    theirs = _checkin(pair, blake, today, "theirs today")
    for n in range(1, days_ahead + 1):
        for person in (alex, blake):
            _checkin(pair, person, today + dt.timedelta(days=n), f"ahead {n}")
    for n in range(1, older_days + 1):
        _checkin(pair, alex, today - dt.timedelta(days=n), f"before {n}")
    recent, todays = selectors.checkins_recent(pair=pair, viewer=alex, today=today)
    assert len(recent) == min(selectors.HISTORY_PAGE, 2 + 2 * days_ahead + older_days)
    assert [c.pk for c in todays] == [mine.pk, theirs.pk]
    assert [c.author for c in todays] == [alex, blake]  # the people, without a query each


def test_the_pair_page_shows_today_when_later_days_fill_the_newest_page(
    pair: Pair, alex: User, blake: User
) -> None:
    today = today_for(alex)
    _checkin(pair, alex, today, "alex-today-words")
    for n in range(1, 8):  # 14 check-ins after today: the newest page holds none of today's
        for person in (alex, blake):
            _checkin(pair, person, today + dt.timedelta(days=n), f"ahead {n}")
    page = client_for(alex).get(reverse("pairs:detail", args=[pair.pk])).content.decode()
    assert "alex-today-words" in page
    assert "How are you today?" not in page


def test_each_card_links_to_its_own_check_in(pair: Pair, alex: User, blake: User) -> None:
    today = today_for(alex)
    days = [today - dt.timedelta(days=n) for n in range(3)]
    made = [_checkin(pair, person, day, "x") for day in days for person in (alex, blake)]
    client = client_for(alex)
    for url in (reverse("pairs:detail", args=[pair.pk]), reverse("pairs:history", args=[pair.pk])):
        page = client.get(url).content.decode()
        for checkin in made:
            assert f'href="{reverse("pairs:checkin_detail", args=[pair.pk, checkin.pk])}"' in page
    own = reverse("pairs:checkin_detail", args=[pair.pk, made[0].pk])
    assert f'href="{own}"' not in client.get(own).content.decode()  # no link to itself


def test_a_reply_withheld_from_the_viewer_is_not_counted_on_any_card(
    pair: Pair, alex: User, blake: User
) -> None:
    theirs = checkin_submit(
        pair=pair, author=blake, mood=3, feelings=[], needs=[], note="Long day.",
        visibility="shared",
    )  # fmt: skip
    reply_create(checkin=theirs, author=alex, kind="acknowledge", text="")
    response = client_for(alex).post(
        reverse("pairs:reply", args=[pair.pk, theirs.pk]), {"kind": "reflect", "text": CRISIS}
    )
    assert "entry=reply" in response["Location"]
    assert ListeningReply.objects.filter(withheld=True).count() == 1
    pages = [
        reverse("pairs:detail", args=[pair.pk]),
        reverse("pairs:history", args=[pair.pk]),
        reverse("pairs:checkin_detail", args=[pair.pk, theirs.pk]),
    ]
    for url in pages:
        blakes = client_for(blake).get(url).content.decode()
        assert "1 reply" in blakes and "2 replies" not in blakes, url  # Alex's is unannounced
        assert "2 replies" in client_for(alex).get(url).content.decode(), url  # the writer's own
