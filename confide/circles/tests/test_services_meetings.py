from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from confide.accounts.models import User
from confide.circles import selectors_meetings, tasks
from confide.circles.calendar import feed_ics
from confide.circles.models import (
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingRating,
    Membership,
    Rsvp,
)
from confide.circles.services import CircleError
from confide.circles.services.guidelines import guidelines_publish
from confide.circles.services.meetings import (
    attendance_mark,
    calendar_feed_reset,
    calendar_feed_user,
    meeting_cancel,
    meeting_create,
    meeting_reminder_send,
    rating_submit,
    rsvp_set,
)
from confide.notifications.models import Notification

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
FIRST = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)  # 19:00 in Berlin
SECRET_TITLE = "canary-meeting-title-7c1e"
SECRET_PLACE = "canary-place-0a9d"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _meeting(facilitator: Membership, rule: str = "FREQ=WEEKLY", **extra: Any) -> Meeting:
    fields: dict[str, Any] = {
        "title": SECRET_TITLE,
        "start_date": date(2026, 3, 19),
        "start_time": time(19, 0),
        "time_zone": "Europe/Berlin",
        "duration_minutes": 90,
        "rrule": rule,
        "location": SECRET_PLACE,
        "agenda": "Opening",
    } | extra
    return meeting_create(membership=facilitator, **fields)


def test_a_meeting_is_stored_in_its_zone_and_sealed(facilitator: Membership) -> None:
    meeting = _meeting(facilitator, rule="freq=weekly;byday=th")
    assert meeting.rrule == "FREQ=WEEKLY;BYDAY=TH"
    assert meeting.first_start == FIRST
    raw = Meeting.objects.filter(pk=meeting.pk).values_list("title", "location").get()
    assert SECRET_TITLE not in str(raw)
    assert SECRET_PLACE not in str(raw)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"rrule": "FREQ=HOURLY"}, "at most once a day"),
        ({"rrule": "FREQ=DAILY;BYHOUR=9,18"}, "Leave hours, minutes and seconds"),
        ({"rrule": "FREQ=NEVER"}, "not valid"),
        ({"start_date": date(2026, 3, 1)}, "This start has passed: in Europe/Berlin it is now"),
        ({"start_date": date(9999, 12, 30)}, "30 December 9999 is too far ahead for a meeting"),
        ({"start_date": date(9999, 12, 31), "rrule": ""}, "too far ahead"),
        ({"time_zone": "Mars/Olympus"}, "time zone"),
        ({"title": " "}, "title"),
        ({"duration_minutes": 2}, "5 minutes"),
    ],
)
def test_bad_meetings_are_refused_and_nothing_is_stored(
    facilitator: Membership, extra: dict[str, Any], message: str
) -> None:
    with pytest.raises(CircleError, match=message):
        _meeting(facilitator, **extra)
    assert not Meeting.objects.exists()


def test_a_meeting_may_start_right_now(facilitator: Membership, frozen: Any) -> None:
    local = NOW.astimezone(ZoneInfo("Europe/Berlin"))
    # A form filled in over a few minutes: "now" was a minute or two ago.
    frozen.shift(timedelta(minutes=3))
    meeting = _meeting(
        facilitator, start_date=local.date(), start_time=local.time().replace(second=0)
    )
    assert meeting.first_start <= timezone.now()


def test_only_facilitators_plan_meetings(alex_member: Membership) -> None:
    with pytest.raises(CircleError, match="facilitators"):
        _meeting(alex_member)


def test_rsvp_per_occurrence_but_not_to_past_or_made_up_ones(
    facilitator: Membership, alex_member: Membership, frozen: Any
) -> None:
    meeting = _meeting(facilitator)
    rsvp_set(membership=alex_member, meeting=meeting, occurrence=FIRST, answer="yes")
    rsvp_set(membership=alex_member, meeting=meeting, occurrence=FIRST, answer="maybe")
    second = FIRST + timedelta(days=7)
    rsvp_set(membership=alex_member, meeting=meeting, occurrence=second, answer="no")
    assert Rsvp.objects.get(occurrence=FIRST).answer == "maybe"
    with pytest.raises(CircleError, match="does not take place"):
        rsvp_set(
            membership=alex_member,
            meeting=meeting,
            occurrence=FIRST + timedelta(hours=1),
            answer="yes",
        )
    frozen.move_to(FIRST + timedelta(minutes=5))
    with pytest.raises(CircleError, match="already started"):
        rsvp_set(membership=alex_member, meeting=meeting, occurrence=FIRST, answer="yes")
    assert Rsvp.objects.get(occurrence=FIRST).answer == "maybe"


def test_joining_a_meeting_needs_the_current_guidelines(
    facilitator: Membership, alex_member: Membership
) -> None:
    meeting = _meeting(facilitator)
    guidelines_publish(membership=facilitator, text="New rules")
    alex_member.refresh_from_db()
    with pytest.raises(CircleError, match="guidelines"):
        rsvp_set(membership=alex_member, meeting=meeting, occurrence=FIRST, answer="yes")
    # Saying no is always possible.
    rsvp_set(membership=alex_member, meeting=meeting, occurrence=FIRST, answer="no")


def test_a_cancelled_meeting_takes_no_answers(
    facilitator: Membership, alex_member: Membership
) -> None:
    meeting = meeting_cancel(membership=facilitator, meeting=_meeting(facilitator))
    with pytest.raises(CircleError, match="cancelled"):
        rsvp_set(membership=alex_member, meeting=meeting, occurrence=FIRST, answer="yes")


def test_attendance_and_a_rating_seen_only_in_aggregate_from_three(
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    frozen: Any,
) -> None:
    meeting = _meeting(facilitator)
    with pytest.raises(CircleError, match="about to start"):
        attendance_mark(
            membership=alex_member, meeting=meeting, occurrence=FIRST, member=alex_member
        )
    frozen.move_to(FIRST + timedelta(minutes=10))
    with pytest.raises(CircleError, match="facilitators"):
        attendance_mark(
            membership=alex_member, meeting=meeting, occurrence=FIRST, member=blake_member
        )
    for member in (facilitator, alex_member, blake_member):
        attendance_mark(membership=facilitator, meeting=meeting, occurrence=FIRST, member=member)
    assert Attendance.objects.count() == 3
    answers = {"heard": 4, "safe": 5, "together": 3, "come_back": 5}
    with pytest.raises(CircleError, match="opens at the close"):
        rating_submit(membership=alex_member, meeting=meeting, occurrence=FIRST, answers=answers)
    frozen.move_to(FIRST + timedelta(minutes=85))
    rating_submit(membership=alex_member, meeting=meeting, occurrence=FIRST, answers=answers)
    with pytest.raises(CircleError, match="already rated"):
        rating_submit(membership=alex_member, meeting=meeting, occurrence=FIRST, answers=answers)
    with pytest.raises(CircleError, match="1 to 5"):
        rating_submit(
            membership=blake_member,
            meeting=meeting,
            occurrence=FIRST,
            answers=answers | {"safe": 9},
        )
    rating_submit(membership=blake_member, meeting=meeting, occurrence=FIRST, answers=answers)
    summary = selectors_meetings.rating_summary(meeting=meeting)
    assert (summary.count, summary.items) == (2, [])  # too few to show anything
    rating_submit(
        membership=facilitator,
        meeting=meeting,
        occurrence=FIRST,
        answers=answers | {"heard": 1},
    )
    summary = selectors_meetings.rating_summary(meeting=meeting)
    assert summary.count == 3
    assert [item.average for item in summary.items] == [3.0, 5.0, 3.0, 5.0]
    assert MeetingRating.objects.count() == 3


def test_someone_who_was_not_there_cannot_rate(
    facilitator: Membership, alex_member: Membership, frozen: Any
) -> None:
    meeting = _meeting(facilitator)
    frozen.move_to(FIRST + timedelta(minutes=90))
    answers = {"heard": 4, "safe": 5, "together": 3, "come_back": 5}
    with pytest.raises(CircleError, match="were at the meeting"):
        rating_submit(membership=alex_member, meeting=meeting, occurrence=FIRST, answers=answers)


def test_a_reminder_goes_once_to_everyone_who_did_not_say_no_without_private_text(
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    alex: User,
    dana: User,
    frozen: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    meeting = _meeting(facilitator)
    rsvp_set(membership=blake_member, meeting=meeting, occurrence=FIRST, answer="no")
    frozen.move_to(FIRST - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.send_meeting_reminder.enqueue(str(meeting.pk), FIRST.isoformat())
    assert sent.return_value == 2
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.send_meeting_reminder.enqueue(str(meeting.pk), FIRST.isoformat())
    assert again.return_value == 0  # safe to run twice
    reminders = Notification.objects.filter(kind="circle_meeting")
    assert {n.user_id for n in reminders} == {alex.pk, dana.pk}
    alex_reminder = reminders.get(user=alex)
    assert "19:00" in alex_reminder.title  # Alex's own time zone (Berlin)
    assert len(mail.outbox) == 2  # meeting reminders email by default
    for text in [*(n.title for n in reminders), *(str(m.body) for m in mail.outbox)]:
        assert SECRET_TITLE not in text
        assert SECRET_PLACE not in text


def test_reminders_for_made_up_or_cancelled_occurrences_send_nothing(
    facilitator: Membership, alex_member: Membership
) -> None:
    meeting = _meeting(facilitator)
    assert meeting_reminder_send(meeting_id=str(meeting.pk), occurrence="not a date") == 0
    bogus = (FIRST + timedelta(hours=2)).isoformat()
    assert meeting_reminder_send(meeting_id=str(meeting.pk), occurrence=bogus) == 0
    meeting_cancel(membership=facilitator, meeting=meeting)
    assert meeting_reminder_send(meeting_id=str(meeting.pk), occurrence=FIRST.isoformat()) == 0
    assert not Notification.objects.filter(kind="circle_meeting").exists()


def test_the_calendar_feed_parses_back_with_every_occurrence_and_no_private_text(
    facilitator: Membership, alex_member: Membership, alex: User
) -> None:
    _meeting(facilitator, rule="FREQ=WEEKLY;COUNT=4")
    raw = calendar_feed_reset(user=alex)
    assert calendar_feed_user(raw) == alex
    assert raw not in str(CalendarFeed.objects.values().get())
    body = feed_ics(
        events=selectors_meetings.feed_events(user=alex, now=NOW),
        base_url="http://testserver",
        now=NOW,
    )
    assert SECRET_TITLE.encode() not in body
    assert SECRET_PLACE.encode() not in body
    calendar = Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    starts = [event.decoded("dtstart") for event in events]
    assert starts == [
        FIRST,
        FIRST + timedelta(days=7),
        datetime(2026, 4, 2, 17, 0, tzinfo=UTC),  # after the change to summer time
        datetime(2026, 4, 9, 17, 0, tzinfo=UTC),
    ]
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(minutes=90) for e in events)
    assert len({str(e["uid"]) for e in events}) == 4


def test_resetting_the_feed_stops_the_old_link(alex: User) -> None:
    old = calendar_feed_reset(user=alex)
    new = calendar_feed_reset(user=alex)
    assert calendar_feed_user(old) is None
    assert calendar_feed_user(new) == alex
    assert calendar_feed_user("") is None
    assert calendar_feed_user("x" * 500) is None


def test_the_sweep_sends_each_reminder_an_hour_before_without_chaining(
    facilitator: Membership,
    alex_member: Membership,
    frozen: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from confide.core.sweep import sweep_run
    from confide.notifications.tests.conftest import (
        DATABASE_TASKS,
        run_due_tasks,
        waiting_tasks,
    )

    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _meeting(facilitator)
        sweep_run()
    assert waiting_tasks() == []  # nothing is queued ahead: the sweep finds each reminder
    frozen.move_to(FIRST - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        sweep_run()
    [queued] = waiting_tasks()
    assert queued.task_path.endswith("run_scheduled_send")
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_tasks() == ["done"]
    assert Notification.objects.filter(kind="circle_meeting").count() == 2  # Dana and Alex
    queued_now = [t.task_path.rsplit(".", 1)[-1] for t in waiting_tasks()]
    assert queued_now == ["send_notification_email"] * 2  # nothing chained for next week
    frozen.move_to(FIRST + timedelta(days=7, hours=-1))
    with django_capture_on_commit_callbacks(execute=True):
        sweep_run()
    with django_capture_on_commit_callbacks(execute=True):
        run_due_tasks()
    events = Notification.objects.filter(kind="circle_meeting").values_list("event_key", flat=True)
    assert len(events) == 4
    assert sum(f"{meeting.pk}:20260326T" in key for key in events) == 2


def test_a_failed_reminder_does_not_stop_the_next_ones(
    facilitator: Membership,
    alex_member: Membership,
    frozen: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from confide.circles.services import meetings
    from confide.core.models import ScheduledSend
    from confide.core.sweep import MAX_ATTEMPTS, RETRY_AFTER, sweep_run

    _meeting(facilitator)

    def broken(**kwargs: Any) -> int:
        raise ConnectionError

    with monkeypatch.context() as patch:
        patch.setattr(meetings, "meeting_reminder_send", broken)
        frozen.move_to(FIRST - timedelta(hours=1))
        for _ in range(MAX_ATTEMPTS):
            with django_capture_on_commit_callbacks(execute=True):
                sweep_run()
            frozen.shift(RETRY_AFTER)
    failed = ScheduledSend.objects.get(sweep="circles.meetings")
    assert (failed.state, failed.attempts) == (ScheduledSend.State.FAILED, MAX_ATTEMPTS)
    assert not Notification.objects.filter(kind="circle_meeting").exists()
    frozen.move_to(FIRST + timedelta(days=7, hours=-1))
    with django_capture_on_commit_callbacks(execute=True):
        sweep_run()
    assert Notification.objects.filter(kind="circle_meeting").count() == 2
