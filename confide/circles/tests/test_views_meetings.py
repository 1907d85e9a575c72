from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from confide.accounts.models import User
from confide.circles.models import Attendance, Meeting, MeetingRating, Membership
from confide.circles.services.meetings import attendance_mark, meeting_create, rating_submit
from tests.personas import client_for

pytestmark = pytest.mark.django_db
FIRST = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)
ANSWERS = {"heard": "4", "safe": "5", "together": "3", "come_back": "4"}


@pytest.fixture
def meeting(facilitator: Membership) -> Meeting:
    with time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False):
        return meeting_create(
            membership=facilitator,
            title="Weekly",
            start_date=date(2026, 3, 19),
            start_time=time(19, 0),
            time_zone="Europe/Berlin",
            duration_minutes=60,
            rrule="FREQ=WEEKLY",
            location="https://call.example.org/room",
            agenda="1. Opening",
        )


def test_an_attendee_marks_themselves_present_and_rates_at_the_close(
    meeting: Meeting, facilitator: Membership, alex_member: Membership, alex: User, dana: User
) -> None:
    client = client_for(alex)
    url = reverse("circles:meeting", args=[meeting.circle_id, meeting.pk])
    with time_machine.travel(FIRST + timedelta(minutes=55), tick=False):
        client.post(
            reverse("circles:attendance", args=[meeting.circle_id, meeting.pk]),
            {"occurrence": FIRST.isoformat(), "member": str(alex_member.pk)},
        )
        assert Attendance.objects.filter(member=alex_member).exists()
        page = client.get(url).content.decode()
        assert "How was this meeting for you?" in page
        assert "I felt heard in this meeting." in page
        rate = reverse("circles:rate", args=[meeting.circle_id, meeting.pk])
        bad = client.post(rate, {"occurrence": FIRST.isoformat(), **ANSWERS, "safe": "7"})
        assert bad.status_code == 400
        assert not MeetingRating.objects.exists()
        ok = client.post(rate, {"occurrence": FIRST.isoformat(), **ANSWERS})
        assert ok.status_code == 302
        assert "How was this meeting for you?" not in client.get(url).content.decode()
        # The facilitator sees no numbers with one rating.
        facilitator_page = client_for(dana).get(url).content.decode()
        assert "Averages appear once at least 3 people have rated" in facilitator_page
        assert "Averages from" not in facilitator_page


def test_the_facilitator_sees_only_averages_from_three_ratings(
    meeting: Meeting,
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    alex: User,
    dana: User,
) -> None:
    with time_machine.travel(FIRST + timedelta(minutes=60), tick=False):
        for n, member in enumerate((facilitator, alex_member, blake_member), start=1):
            attendance_mark(
                membership=facilitator, meeting=meeting, occurrence=FIRST, member=member
            )
            rating_submit(
                membership=member,
                meeting=meeting,
                occurrence=FIRST,
                answers={"heard": n, "safe": 5, "together": 4, "come_back": 5},
            )
        url = reverse("circles:meeting", args=[meeting.circle_id, meeting.pk])
        page = client_for(dana).get(url).content.decode()
        assert "Averages from 3 ratings" in page
        assert "<td>2.0</td>" in page
        member_page = client_for(alex).get(url).content.decode()
        assert "Averages from" not in member_page


def test_a_member_cannot_mark_someone_else_present(
    meeting: Meeting, alex_member: Membership, blake_member: Membership, alex: User
) -> None:
    with time_machine.travel(FIRST + timedelta(minutes=10), tick=False):
        response = client_for(alex).post(
            reverse("circles:attendance", args=[meeting.circle_id, meeting.pk]),
            {"occurrence": FIRST.isoformat(), "member": str(blake_member.pk)},
            follow=True,
        )
    assert "Only the circle&#x27;s facilitators can do this." in response.content.decode()
    assert not Attendance.objects.exists()


def test_rsvp_through_the_page_in_the_viewers_time_zone(
    meeting: Meeting, blake_member: Membership, blake: User, dana: User
) -> None:
    # Blake's time zone is UTC: the 19:00 Berlin meeting is at 18:00 for Blake, 17:00 in summer.
    with time_machine.travel(datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        client = client_for(blake)
        url = reverse("circles:meeting", args=[meeting.circle_id, meeting.pk])
        page = client.get(url).content.decode()
        assert "Thursday 19 March 2026, 18:00" in page
        assert "Thursday 2 April 2026, 17:00" in page
        response: Any = client.post(
            reverse("circles:rsvp", args=[meeting.circle_id, meeting.pk]),
            {"occurrence": FIRST.isoformat(), "answer": "yes"},
            follow=True,
        )
        assert "Thank you for letting the circle know." in response.content.decode()
        assert "Coming: 1" in response.content.decode()


def test_a_round_works_without_javascript_through_plain_forms(
    meeting: Meeting,
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    alex: User,
    blake: User,
    dana: User,
) -> None:
    with time_machine.travel(FIRST + timedelta(minutes=2), tick=False):
        circle_id = meeting.circle_id
        meeting_url = reverse("circles:meeting", args=[circle_id, meeting.pk])
        assert "Open a live round" not in client_for(alex).get(meeting_url).content.decode()
        start = client_for(dana).post(
            reverse("circles:round_start", args=[circle_id, meeting.pk]),
            {"occurrence": FIRST.isoformat()},
        )
        assert start.status_code == 302
        round_url = start["Location"]
        assert "A live round is open" in client_for(alex).get(meeting_url).content.decode()
        act = round_url + "act/"
        client_for(alex).post(act, {"type": "join"})
        client_for(blake).post(act, {"type": "join"})
        page = client_for(blake).get(round_url).content.decode()
        assert '<mark class="holder">Harbour</mark>' in page
        assert "<li>Willow</li>" in page
        refused = client_for(blake).post(act, {"type": "close"}, follow=True)
        assert "Only the circle&#x27;s facilitators can do this." in refused.content.decode()
        client_for(alex).post(act, {"type": "pass"})
        page = client_for(alex).get(round_url).content.decode()
        assert '<mark class="holder">Willow</mark>' in page
        client_for(dana).post(act, {"type": "close"})
        page = client_for(alex).get(round_url).content.decode()
        assert '<p id="round-closed">' in page
        bad = client_for(dana).post(act, {"type": "dance"}, follow=True)
        assert "Unknown action." in bad.content.decode()


def test_the_meeting_page_says_the_repeat_rule_in_words(
    meeting: Meeting, blake_member: Membership, blake: User
) -> None:
    with time_machine.travel(datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        page = client_for(blake).get(
            reverse("circles:meeting", args=[meeting.circle_id, meeting.pk])
        )
    text = page.content.decode()
    assert "Every Thursday at 19:00" in text
    assert "FREQ=" not in text


def test_a_far_off_date_gets_one_message_about_the_date(
    facilitator: Membership, dana: User
) -> None:
    with time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False):
        response = client_for(dana).post(
            reverse("circles:meeting_new", args=[facilitator.circle_id]),
            {
                "title": "Far",
                "start_date": "9999-12-31",
                "start_time": "19:00",
                "time_zone": "Europe/Berlin",
                "duration_minutes": "60",
                "repeat": "FREQ=WEEKLY",
            },
        )
    text = response.content.decode()
    assert response.status_code == 400
    assert text.count("31 December 9999 is too far ahead for a meeting") == 1
    assert "This repeat rule is not valid" not in text
    assert not Meeting.objects.exists()


def test_a_facilitator_opens_the_round_before_the_meeting_and_members_see_it(
    meeting: Meeting, facilitator: Membership, alex_member: Membership, alex: User, dana: User
) -> None:
    url = reverse("circles:meeting", args=[meeting.circle_id, meeting.pk])
    with time_machine.travel(FIRST - timedelta(days=2), tick=False):
        host = client_for(dana)
        page = host.get(url).content.decode()
        assert "Open a live round" in page
        assert "Open a live round" not in client_for(alex).get(url).content.decode()
        opened = host.post(
            reverse("circles:round_start", args=[meeting.circle_id, meeting.pk]),
            {"occurrence": FIRST.isoformat()},
        )
        assert opened.status_code == 302
        member = client_for(alex)
        assert "A live round is open: join it" in member.get(url).content.decode()
        circle_page = member.get(reverse("circles:detail", args=[meeting.circle_id]))
        assert "A live round is open in “Weekly”: join it" in circle_page.content.decode()


def test_after_the_close_nobody_sees_the_round_controls(
    meeting: Meeting, facilitator: Membership, alex_member: Membership, alex: User, dana: User
) -> None:
    from confide.circles.services.rounds import round_close, round_open

    with time_machine.travel(FIRST, tick=False):
        round_ = round_open(membership=facilitator, meeting=meeting, occurrence=FIRST)
        round_close(membership=facilitator, round_=round_)
        url = reverse("circles:round", args=[meeting.circle_id, round_.pk])
        for person in (alex, dana):
            text = client_for(person).get(url).content.decode()
            assert "The round has closed." in text
            assert '<div id="round-live" hidden>' in text


def test_only_the_current_tab_is_marked(facilitator: Membership, dana: User) -> None:
    client = client_for(dana)
    for name, label in [("moderation:queue", "Reports to review"), ("circles:queue", "Approvals")]:
        text = client.get(reverse(name, args=[facilitator.circle_id])).content.decode()
        nav = text[text.index('class="subnav"') : text.index("</nav>", text.index("subnav"))]
        assert nav.count('aria-current="page"') == 1
        assert f'aria-current="page">{label}</a>' in nav
