"""The pages without JavaScript: plan, download, timer across reloads, month view, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.notifications.models import Channel
from confide.notifications.services import preferences_update
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_leave
from confide.pairs.tests.factories import make_pair
from confide.together.models import Plan, TogetherTime
from confide.together.services import plan_cancel, timer_start, timer_stop
from confide.together.tests.factories import make_plan
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
WHAT = "canary-what-91b3"
NOTES = "canary-notes-4a7d"


def _url(name: str, pair: Pair, *args: Any) -> str:
    return reverse(f"together:{name}", args=[pair.pk, *args])


def _form(**changes: str) -> dict[str, str]:
    return {
        "what": WHAT,
        "day": "2026-03-11",
        "start_time": "19:00",
        "duration_minutes": "90",
        "device_free": "on",
        "notes": NOTES,
        **changes,
    }


def test_the_pair_page_links_to_time_together(pair: Pair, alex: User) -> None:
    page = client_for(alex).get(reverse("pairs:detail", args=[pair.pk])).content.decode()
    assert f'href="{_url("index", pair)}"' in page


def test_planning_saves_the_plan_and_shows_it_to_both(pair: Pair, alex: User, blake: User) -> None:
    client = client_for(alex)
    assert client.get(_url("plan_new", pair)).status_code == 200
    response = client.post(_url("plan_new", pair), _form())
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("plan", pair, plan.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Planned. Blake can see it now." in page
    assert WHAT in page
    # Blake sees it on Blake's own clock (UTC): 18:00 to 19:30.
    theirs = client_for(blake).get(_url("plan", pair, plan.pk)).content.decode()
    assert NOTES in theirs
    assert "18:00–19:30" in theirs
    assert "planned in Europe/Berlin" in theirs
    assert WHAT in client_for(blake).get(_url("index", pair)).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "2026-03-09"}, "That time has already passed."),
        ({"day": "2026-03-10", "start_time": "12:30"}, "That time has already passed."),
        ({"what": ""}, "Say what you would like to do together."),
        ({"what": "x" * 201}, "Keep this to 200 characters or fewer."),
        ({"notes": "x" * 2001}, "Keep the notes to 2000 characters or fewer."),
        ({"duration_minutes": "4"}, "Plan at least 5 minutes."),
        ({"duration_minutes": "721"}, "Plan at most 720 minutes (12 hours)."),
        ({"duration_minutes": "an hour"}, "Enter a whole number of minutes."),
        ({"day": "2026-13-01"}, "Enter a date like 2026-12-31."),
        ({"day": ""}, "Choose a date."),
        ({"start_time": "25:00"}, "Enter a time like 19:30."),
        ({"day": "2026-03-29", "start_time": "02:30"}, "The clocks skip that time"),
    ],
)
def test_a_bad_plan_gets_a_clear_message_and_changes_nothing(
    pair: Pair, alex: User, changes: dict[str, str], message: str
) -> None:
    response = client_for(alex).post(_url("plan_new", pair), _form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_the_calendar_file_names_the_plan_but_not_the_notes(pair: Pair, alex: User) -> None:
    plan = make_plan(pair, alex, what=WHAT, notes=NOTES)
    response = client_for(alex).get(_url("plan_ics", pair, plan.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="time-together-2026-03-11.ics"'
    )
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert f"SUMMARY:{WHAT}" in body
    assert "DTSTART:20260311T180000Z" in body
    assert NOTES not in body
    page = client_for(alex).get(_url("plan", pair, plan.pk)).content.decode()
    assert f'href="{_url("plan_ics", pair, plan.pk)}" download' in page


def test_the_timer_survives_a_reload_and_both_partners_see_it(
    pair: Pair, alex: User, blake: User, frozen: time_machine.Traveller
) -> None:
    a, b = client_for(alex), client_for(blake)
    index = _url("index", pair)
    assert "Start the together timer" in a.get(index).content.decode()
    response = a.post(_url("timer_start", pair))
    assert (response.status_code, response["Location"]) == (302, index)
    timer = TogetherTime.objects.get()
    frozen.shift(timedelta(minutes=12, seconds=5))
    for client, who in ((a, "You started it at"), (b, "Alex started it at")):
        page = client.get(index).content.decode()  # a reload: the server still holds the start
        assert who in page
        assert 'datetime="2026-03-10T' in page
        assert 'data-elapsed-seconds="725"' in page
        assert ">0:12:05<" in page
        assert _url("timer_stop", pair, timer.pk) in page
        assert "Start the together timer" not in page
    # Blake's page was loaded before Alex started; a second start is refused, with a redirect
    # so that reloading the page does not press the button again.
    response = b.post(_url("timer_start", pair), follow=True)
    assert response.redirect_chain == [(index, 302)]
    assert "The together timer is already running." in response.content.decode()
    assert TogetherTime.objects.count() == 1

    frozen.shift(timedelta(minutes=13))
    response = b.post(_url("timer_stop", pair, timer.pk))
    assert response.status_code == 302
    page = a.get(index).content.decode()
    assert "25 minutes" in page
    assert "Start the together timer" in page
    response = a.post(_url("timer_stop", pair, timer.pk), follow=True)
    assert response.redirect_chain == [(index, 302)]
    assert "This timer has already been stopped." in response.content.decode()
    timer.refresh_from_db()
    assert (timer.minutes, timer.stopped_by) == (25, blake)


def test_the_stop_message_counts_the_minutes(
    pair: Pair, alex: User, frozen: time_machine.Traveller
) -> None:
    client = client_for(alex)
    client.post(_url("timer_start", pair))
    frozen.shift(timedelta(minutes=1, seconds=10))
    timer = TogetherTime.objects.get()
    page = client.post(_url("timer_stop", pair, timer.pk), follow=True).content.decode()
    assert "The timer is stopped: 1 minute together, recorded." in page


def test_a_plan_can_be_timed_marked_done_or_cancelled_from_its_page(
    pair: Pair, alex: User, blake: User, frozen: time_machine.Traveller
) -> None:
    first = make_plan(pair, alex, day=date(2026, 3, 11))
    second = make_plan(pair, alex, day=date(2026, 3, 12))
    client = client_for(blake)
    page = client.get(_url("plan", pair, first.pk)).content.decode()
    assert "Mark as done" not in page  # it has not started yet
    response = client.post(_url("plan_done", pair, first.pk), follow=True)
    assert response.redirect_chain == [(_url("plan", pair, first.pk), 302)]
    assert "has not started yet" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Plan.Status.PLANNED

    assert "Start the timer for this plan" in page
    response = client.post(_url("timer_start", pair), {"plan": str(first.pk)})
    assert response.status_code == 302
    frozen.shift(timedelta(minutes=25))  # within the idle limit of the session
    client.post(_url("timer_stop", pair, TogetherTime.objects.get().pk))
    first.refresh_from_db()
    assert first.status == Plan.Status.DONE
    assert "25 minutes recorded" in client.get(_url("plan", pair, first.pk)).content.decode()

    frozen.move_to(datetime(2026, 3, 12, 20, 0, tzinfo=UTC))
    client = client_for(blake)  # a new session: the old one timed out while idle
    page = client.get(_url("plan", pair, second.pk)).content.decode()
    assert "Mark as done" in page
    assert client.post(_url("plan_done", pair, second.pk)).status_code == 302
    second.refresh_from_db()
    assert second.status == Plan.Status.DONE
    response = client.post(_url("plan_cancel", pair, second.pk), follow=True)
    assert "This plan is already marked done." in response.content.decode()
    second.refresh_from_db()
    assert second.status == Plan.Status.DONE

    third = make_plan(pair, alex, day=date(2026, 3, 14))
    assert client.post(_url("plan_cancel", pair, third.pk)).status_code == 302
    third.refresh_from_db()
    assert third.status == Plan.Status.CANCELLED
    page = client.get(_url("plan", pair, third.pk)).content.decode()
    assert "Cancel this plan" not in page


def test_ids_from_elsewhere_are_not_found_and_change_nothing(
    pair: Pair, alex: User, blake: User, casey: User
) -> None:
    other = make_pair(alex, casey)
    theirs = make_plan(other, casey)
    mine = make_plan(pair, alex)
    a = client_for(alex)
    # Another pair's plan under this pair's address: not found.
    assert a.get(_url("plan", pair, theirs.pk)).status_code == 404
    assert a.get(_url("plan_ics", pair, theirs.pk)).status_code == 404
    assert a.post(_url("plan_done", pair, theirs.pk)).status_code == 404
    assert a.post(_url("timer_start", pair), {"plan": str(theirs.pk)}).status_code == 404
    assert a.post(_url("timer_start", pair), {"plan": "not-a-uuid"}).status_code == 404
    assert not TogetherTime.objects.exists()
    # Casey is not in Alex and Blake's pair.
    c = client_for(casey)
    for url in (_url("index", pair), _url("plan", pair, mine.pk), _url("month", pair, 2026, 3)):
        assert c.get(url).status_code == 404
    assert c.post(_url("plan_cancel", pair, mine.pk)).status_code == 404
    assert c.post(_url("timer_start", pair)).status_code == 404
    timer = timer_start(pair=pair, person=blake)
    assert c.post(_url("timer_stop", pair, timer.pk)).status_code == 404
    assert a.post(_url("timer_stop", other, timer.pk)).status_code == 404
    timer.refresh_from_db()
    assert timer.is_running
    mine.refresh_from_db()
    assert mine.status == Plan.Status.PLANNED


def test_an_ended_pair_keeps_its_pages_but_takes_nothing_new(
    pair: Pair, alex: User, blake: User
) -> None:
    plan = make_plan(pair, alex)
    pair_leave(pair=pair, user=blake)
    a = client_for(alex)
    page = a.get(_url("index", pair)).content.decode()
    assert "Start the together timer" not in page
    assert "Plan time together" not in page
    assert a.get(_url("plan", pair, plan.pk)).status_code == 200
    assert a.get(_url("plan_new", pair)).status_code == 404
    assert a.post(_url("timer_start", pair)).status_code == 404
    assert a.post(_url("plan_cancel", pair, plan.pk)).status_code == 404
    assert not TogetherTime.objects.exists()


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (1999, 12), (2101, 1)])
def test_a_month_that_does_not_exist_is_not_found(
    pair: Pair, alex: User, year: int, month: int
) -> None:
    assert client_for(alex).get(_url("month", pair, year, month)).status_code == 404


def _fill(pair: Pair, alex: User, blake: User, n: int) -> None:
    for i in range(n):
        start = datetime(2026, 3, 2, 18, 0, tzinfo=UTC) + timedelta(hours=7 * i)
        with time_machine.travel(start, tick=False) as traveller:
            timer = timer_start(pair=pair, person=alex if i % 2 else blake)
            traveller.shift(timedelta(minutes=20 + i))
            timer_stop(timer=timer, person=blake)
    for i in range(n):
        plan = make_plan(pair, alex, day=date(2026, 3, 11 + i % 15), start_time=time(8 + i % 12))
        if i % 3 == 0:
            plan_cancel(plan=plan, person=blake)


def _month_page(client: Client, pair: Pair) -> str:
    response = client.get(_url("month", pair, 2026, 3))
    assert response.status_code == 200
    return response.content.decode()


def test_the_month_view_shows_the_weeks_for_both_partners(
    pair: Pair, alex: User, blake: User
) -> None:
    _fill(pair, alex, blake, 2)
    for person in (alex, blake):
        page = _month_page(client_for(person), pair)
        assert "Time together in March 2026" in page
        assert "This month: 41 minutes together, 41 of them device-free." in page
        assert "0 of 1 plan done." in page
        assert "2–8 March" in page
        assert "streak" not in page.lower()
        assert "score" not in page.lower()


def test_the_month_view_makes_the_same_queries_whatever_the_data(
    pair: Pair, alex: User, blake: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alex)
    _month_page(client, pair)  # warm the key cache and the session
    with django_assert_max_num_queries(12) as few:
        _month_page(client, pair)
    _fill(pair, alex, blake, 30)
    with django_assert_max_num_queries(12) as many:
        page = _month_page(client, pair)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "This month: 1035 minutes together, 1035 of them device-free." in page
    assert "0 of 20 plans done." in page


def test_the_index_makes_the_same_queries_whatever_the_data(
    pair: Pair, alex: User, blake: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alex)
    client.get(_url("index", pair))
    with django_assert_max_num_queries(14) as few:
        client.get(_url("index", pair))
    _fill(pair, alex, blake, 30)
    timer_start(pair=pair, person=blake)
    with django_assert_max_num_queries(14) as many:
        client.get(_url("index", pair))
    # One more only because an empty list of plans needs no query for its first page.
    assert len(many.captured_queries) <= len(few.captured_queries) + 1


def test_the_email_about_a_plan_carries_none_of_its_words(
    pair: Pair, alex: User, blake: User
) -> None:
    preferences_update(
        user=blake,
        channels={"time_together": Channel.EMAIL},
        quiet_start=None,
        quiet_end=None,
        quiet_enabled=False,
    )
    client_for(alex).post(_url("plan_new", pair), _form())
    client_for(alex).post(_url("timer_start", pair))
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        alternatives = getattr(message, "alternatives", [])
        text = f"{message.subject} {message.body} {' '.join(str(a[0]) for a in alternatives)}"
        assert WHAT not in text
        assert NOTES not in text


def test_the_home_page_lists_a_plan_for_today(pair: Pair, alex: User, blake: User) -> None:
    make_plan(pair, blake, what=WHAT, day=date(2026, 3, 10), start_time=time(20, 0))
    page = client_for(alex).get(reverse("core:home")).content.decode()
    assert "Time together with Blake" in page
    assert "at 21:00" in page  # 20:00 UTC on Alex's Berlin clock
    assert WHAT not in page
