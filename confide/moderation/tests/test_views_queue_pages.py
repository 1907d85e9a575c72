"""The facilitators' queue shows open reports and hidden posts a page at a time, with the same
number of queries for 3 of each as for 60; only the reports shown are recorded as opened. A bad
page number is the first page, one past the end the last (Django's `get_page`, as on every
paginated page); a decision with errors comes back on the page that holds its report."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from confide.circles.models import Circle, Membership, Thread
from confide.circles.services.posts import thread_create
from confide.moderation.models import HiddenPost, Report
from confide.moderation.selectors import HIDDEN_PAGE, REPORTS_PAGE
from confide.moderation.tests.factories import report
from confide.privacy.models import AccessRecord
from tests.personas import client_for, page_in_queries

pytestmark = pytest.mark.django_db

QUEUE_QUERIES = 14  # pinned: the same for 3 reports and hidden posts as for 60

START = datetime(2030, 3, 2, 10, 0, tzinfo=UTC)


def _threads(author: Membership, n: int, *, same_instant: bool = False) -> list[Thread]:
    """Threads "Post 00" to "Post n-1", a minute apart (or all at one instant)."""
    threads = []
    for i in range(n):
        with time_machine.travel(START + timedelta(minutes=0 if same_instant else i), tick=False):
            threads.append(
                thread_create(
                    membership=author, title=f"Post {i:02}", body=f"Body {i:02}", content_note=""
                )
            )
    return threads


def _reports(reporter: Membership, threads: list[Thread]) -> list[Report]:
    made = []
    for i, thread in enumerate(threads):
        with time_machine.travel(START + timedelta(hours=1, minutes=i), tick=False):
            made.append(report(reporter, thread))
    return made


def _hide(facilitator: Membership, threads: list[Thread], *, same_instant: bool = False) -> None:
    for i, thread in enumerate(threads):
        at = START + timedelta(hours=2, minutes=0 if same_instant else i)
        HiddenPost.objects.create(
            circle=facilitator.circle, thread=thread, hidden_by=facilitator, hidden_at=at
        )


def _bodies(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(r"Body \d\d", response.content.decode())


def _hidden_links(client: Client, url: str) -> list[str]:
    """The threads of the hidden posts shown, by their "See it" links."""
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(r'threads/([0-9a-f-]+)/">See it<', response.content.decode())


@pytest.mark.parametrize("rows", [3, 60])
def test_the_queue_keeps_a_fixed_number_of_queries(
    circle: Circle,
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    rows: int,
    django_assert_num_queries: Any,
) -> None:
    threads = _threads(alex_member, rows * 2)
    _reports(blake_member, threads[:rows])
    _hide(facilitator, threads[rows:])
    client = client_for(facilitator.user)
    url = reverse("moderation:queue", args=[circle.pk])
    page = page_in_queries(client, url, QUEUE_QUERIES, django_assert_num_queries)
    assert len(re.findall(r"Body \d\d", page)) == min(rows, REPORTS_PAGE)


def test_open_reports_come_a_page_at_a_time_and_only_those_shown_are_recorded(
    circle: Circle, facilitator: Membership, alex_member: Membership, blake_member: Membership
) -> None:
    total = REPORTS_PAGE + 3
    _reports(blake_member, _threads(alex_member, total))
    client = client_for(facilitator.user)
    url = reverse("moderation:queue", args=[circle.pk])
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?page=2" rel="next"' in first
    assert AccessRecord.objects.filter(kind="moderation.report").count() == REPORTS_PAGE
    pages = [_bodies(client, f"{url}?page={n}") for n in (1, 2)]
    # The oldest report first, each once.
    assert pages[0] + pages[1] == [f"Body {i:02}" for i in range(total)]
    assert _bodies(client, f"{url}?page=abc") == pages[0]
    assert _bodies(client, f"{url}?page=999") == pages[1]


def test_a_decision_with_errors_comes_back_on_the_page_of_its_report(
    circle: Circle, facilitator: Membership, alex_member: Membership, blake_member: Membership
) -> None:
    made = _reports(blake_member, _threads(alex_member, REPORTS_PAGE + 3))
    last = made[-1]  # on the second page
    url = reverse("moderation:decide", args=[circle.pk, last.pk])
    response = client_for(facilitator.user).post(url, {f"{last.pk}-restriction": "mute"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose for how long" in page
    assert f"Body {REPORTS_PAGE + 2:02}" in page
    last.refresh_from_db()
    assert last.is_open


def test_hidden_posts_come_a_page_at_a_time_the_latest_first(
    circle: Circle, facilitator: Membership, alex_member: Membership
) -> None:
    threads = _threads(alex_member, HIDDEN_PAGE + 3)
    _hide(facilitator, threads)
    client = client_for(facilitator.user)
    url = reverse("moderation:queue", args=[circle.pk])
    first = client.get(url).content.decode()
    assert 'href="?hidden=2" rel="next"' in first
    assert 'class="pagination" aria-label="Pages of open reports"' not in first  # one page only
    pages = [_hidden_links(client, f"{url}?hidden={n}") for n in (1, 2)]
    assert pages[0] + pages[1] == [str(t.pk) for t in reversed(threads)]
    assert _hidden_links(client, f"{url}?hidden=abc") == pages[0]
    assert _hidden_links(client, f"{url}?hidden=999") == pages[1]


def test_posts_hidden_at_one_instant_each_come_once_across_the_pages(
    circle: Circle, facilitator: Membership, alex_member: Membership
) -> None:
    """The id breaks ties in time, so no hidden post is shown twice or skipped."""
    threads = _threads(alex_member, HIDDEN_PAGE + 3)
    _hide(facilitator, threads, same_instant=True)
    client = client_for(facilitator.user)
    url = reverse("moderation:queue", args=[circle.pk])
    shown = [t for n in (1, 2) for t in _hidden_links(client, f"{url}?hidden={n}")]
    assert sorted(shown) == sorted(str(t.pk) for t in threads)
