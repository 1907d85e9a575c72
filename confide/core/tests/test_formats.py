"""One way of writing dates and times on every page: "30 November 2026, 05:22"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from confide.accounts.models import User
from confide.notifications.services import notify
from tests.personas import client_for

WHEN = datetime(2026, 11, 30, 5, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('{{ when|date:"DATETIME_FORMAT" }}', "30 November 2026, 05:22"),
        ('{{ when|date:"DATE_FORMAT" }}', "30 November 2026"),
        ("{{ when|date }}", "30 November 2026"),
        ('{{ when|time:"TIME_FORMAT" }}', "05:22"),
        ("{{ day }}", "30 November 2026"),
        ("{{ when }}", "30 November 2026, 05:22"),
    ],
)
def test_dates_are_written_one_way(source: str, text: str) -> None:
    rendered = Template("{% load tz %}{% timezone 'UTC' %}" + source + "{% endtimezone %}")
    assert rendered.render(Context({"when": WHEN, "day": date(2026, 11, 30)})) == text


@pytest.mark.django_db
def test_notifications_show_the_same_date_format_as_every_other_page(alex: User) -> None:
    with time_machine.travel(WHEN, tick=False):
        notify(user=alex, kind="partner_checkin", event_key="e1", title="Hello", url="/")
    page = client_for(alex).get(reverse("notifications:list")).content.decode()
    assert "30 November 2026, 06:22" in page  # in Alex's time zone, Berlin
    assert "a.m." not in page and "Nov." not in page
