"""The members list (the longest-standing first) and the invite page's links not used yet (the
newest first) come a page at a time, with the same number of queries for 3 rows as for 60. A
bad page number is the first page, one past the end the last (Django's `get_page`, as on every
paginated page)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.accounts.tests.factories import UserFactory
from confide.circles.models import Circle, Membership, PostStatus, Reply, Thread
from confide.circles.selectors import HELD_PAGE, INVITATIONS_PAGE, MEMBERS_PAGE, REQUESTS_PAGE
from confide.circles.services.membership import (
    INVITATION_DAYS,
    invitation_create,
    join_request_create,
)
from confide.circles.services.posts import reply_create, thread_create
from confide.circles.tests.factories import join
from tests.personas import client_for, page_in_queries

pytestmark = pytest.mark.django_db

# Pinned: the same for 3 rows and for 60.
MEMBERS_QUERIES = 6
INVITE_QUERIES = 6
APPROVALS_QUERIES = 10
START = datetime(2030, 3, 2, 10, 0, tzinfo=UTC)  # after Dana, the owner, joined


def _join(circle: Circle, n: int, *, same_instant: bool = False) -> None:
    """Members "Member 00" to "Member n-1", joining a minute apart (or all at one instant)."""
    for i in range(n):
        person = UserFactory.create(email=f"m{i:02}@example.org")
        with time_machine.travel(START + timedelta(minutes=0 if same_instant else i), tick=False):
            join(circle, person, f"Member {i:02}")


def _names(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(r"Member \d\d", response.content.decode())


@pytest.mark.parametrize("rows", [3, 60])
def test_the_members_page_keeps_a_fixed_number_of_queries(
    circle: Circle, dana: User, rows: int, django_assert_num_queries: Any
) -> None:
    _join(circle, rows)
    client = client_for(dana)
    url = reverse("circles:members", args=[circle.pk])
    page = page_in_queries(client, url, MEMBERS_QUERIES, django_assert_num_queries)
    # Dana, the owner, joined first and takes one place on the first page.
    shown = set(re.findall(r"Member \d\d", page))
    assert len(shown) == min(rows, MEMBERS_PAGE - 1)


def test_members_come_a_page_at_a_time_the_longest_standing_first(
    circle: Circle, dana: User
) -> None:
    total = MEMBERS_PAGE * 2  # with Dana: two full pages and one more member
    _join(circle, total)
    client = client_for(dana)
    url = reverse("circles:members", args=[circle.pk])
    first = client.get(url).content.decode()
    assert "Lantern" in first  # Dana, the owner, joined first
    assert "Page 1 of 3" in first
    assert 'href="?page=2" rel="next"' in first
    pages = [_names(client, f"{url}?page={n}") for n in (1, 2, 3)]
    shown = [name for page in pages for name in dict.fromkeys(page)]
    assert shown == [f"Member {i:02}" for i in range(total)]
    # A bad page number: the first page; one past the end: the last, as elsewhere.
    assert _names(client, f"{url}?page=abc") == pages[0]
    assert _names(client, f"{url}?page=999") == pages[2]


def test_members_who_joined_at_one_instant_each_come_once_across_the_pages(
    circle: Circle,
) -> None:
    """The id breaks ties in time, so nobody is shown twice or skipped between pages."""
    _join(circle, MEMBERS_PAGE + 5, same_instant=True)
    late = UserFactory.create(email="late@example.org")
    join(circle, late, "Late")
    client = client_for(late)
    url = reverse("circles:members", args=[circle.pk])
    shown = [name for n in (1, 2) for name in dict.fromkeys(_names(client, f"{url}?page={n}"))]
    assert sorted(shown) == [f"Member {i:02}" for i in range(MEMBERS_PAGE + 5)]


def _invitations(owner: Membership, n: int) -> None:
    """Links made a day apart from 2 March 2030: each "Valid until" a different day."""
    for i in range(n):
        with time_machine.travel(START + timedelta(days=i), tick=False):
            invitation_create(membership=owner)


@pytest.mark.parametrize("rows", [3, 60])
def test_the_invite_page_keeps_a_fixed_number_of_queries(
    circle: Circle, facilitator: Membership, dana: User, rows: int, django_assert_num_queries: Any
) -> None:
    _invitations(facilitator, rows)
    client = client_for(dana)
    url = reverse("circles:invite", args=[circle.pk])
    page = page_in_queries(client, url, INVITE_QUERIES, django_assert_num_queries)
    assert page.count("Valid until") == min(rows, INVITATIONS_PAGE)


def test_links_not_used_yet_come_a_page_at_a_time_the_newest_first(
    circle: Circle, facilitator: Membership, dana: User
) -> None:
    total = INVITATIONS_PAGE + 3
    _invitations(facilitator, total)
    client = client_for(dana)
    url = reverse("circles:invite", args=[circle.pk])
    assert "Page 1 of 2" in client.get(url).content.decode()

    def until(query: str) -> list[str]:
        response = client.get(f"{url}{query}")
        assert response.status_code == 200
        return re.findall(r"Valid until (\d+ \w+ \d+)", response.content.decode())

    pages = [until("?page=1"), until("?page=2")]
    valid = timedelta(days=INVITATION_DAYS)
    expected = [(START + timedelta(days=i) + valid).date() for i in reversed(range(total))]
    assert pages[0] + pages[1] == [f"{d.day} {d:%B %Y}" for d in expected]
    assert until("?page=abc") == pages[0]
    assert until("?page=999") == pages[1]


def _approvals(circle: Circle, author: Membership, n: int) -> None:
    """n requests to join ("Asker 00"...), n held threads ("Held 00"...) and n held replies
    ("Reply 00"...), a minute apart."""
    thread = thread_create(membership=author, title="Open", body="Open words", content_note="")
    held = []
    for i in range(n):
        with time_machine.travel(START + timedelta(minutes=i), tick=False):
            asker = UserFactory.create(email=f"asker{i:02}@example.org")
            join_request_create(circle=circle, user=asker, pseudonym=f"Asker {i:02}")
            held.append(
                thread_create(membership=author, title=f"Held {i:02}", body="b", content_note="")
            )
            reply_create(membership=author, thread=thread, body=f"Reply {i:02}", content_note="")
    Thread.objects.filter(pk__in=[t.pk for t in held]).update(status=PostStatus.HELD)
    Reply.objects.filter(thread=thread).update(status=PostStatus.HELD)


@pytest.mark.parametrize("rows", [3, 60])
def test_the_approvals_page_keeps_a_fixed_number_of_queries(
    circle: Circle,
    alex_member: Membership,
    dana: User,
    rows: int,
    django_assert_num_queries: Any,
) -> None:
    _approvals(circle, alex_member, rows)
    client = client_for(dana)
    url = reverse("circles:queue", args=[circle.pk])
    page = page_in_queries(client, url, APPROVALS_QUERIES, django_assert_num_queries)
    assert len(re.findall(r"Asker \d\d", page)) == min(rows, REQUESTS_PAGE)
    assert len(re.findall(r"Held \d\d", page)) == min(rows, HELD_PAGE)
    assert len(re.findall(r"Reply \d\d", page)) == min(rows, HELD_PAGE)


@pytest.mark.parametrize(
    ("param", "pattern", "size"),
    [
        ("requests", r"Asker \d\d", REQUESTS_PAGE),
        ("threads", r"Held \d\d", HELD_PAGE),
        ("replies", r"Reply \d\d", HELD_PAGE),
    ],
)
def test_each_approvals_list_comes_a_page_at_a_time_the_oldest_first(
    circle: Circle, alex_member: Membership, dana: User, param: str, pattern: str, size: int
) -> None:
    total = REQUESTS_PAGE + 3
    _approvals(circle, alex_member, total)
    client = client_for(dana)
    url = reverse("circles:queue", args=[circle.pk])

    def shown(query: str) -> list[str]:
        response = client.get(f"{url}{query}")
        assert response.status_code == 200
        return re.findall(pattern, response.content.decode())

    first = client.get(url).content.decode()
    assert f'href="?{param}=2" rel="next"' in first
    last = -(-total // size)
    pages = [shown(f"?{param}={n}") for n in range(1, last + 1)]
    assert [name for page in pages for name in page] == [
        pattern.split(" ", maxsplit=1)[0] + f" {i:02}" for i in range(total)
    ]
    assert shown(f"?{param}=abc") == pages[0]
    assert shown(f"?{param}=999") == pages[-1]
