from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from confide.accounts.models import User
from confide.notifications.models import Notification
from confide.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:list")
MARK_ALL = reverse("notifications:mark_all_read")


def _open(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


@pytest.fixture
def signed_in(client: Client, alex: User) -> Client:
    client.force_login(alex)
    return client


def _made(user: User, count: int) -> list[Notification]:
    """`count` notifications an hour apart, the last one newest."""
    start = timezone.now() - dt.timedelta(hours=count)
    return [
        NotificationFactory.create(
            user=user, title=f"Event number {i:02d}", created_at=start + dt.timedelta(hours=i)
        )
        for i in range(count)
    ]


def test_the_list_shows_own_notifications_newest_first_unread_marked(
    signed_in: Client, alex: User, casey: User
) -> None:
    older, newer = _made(alex, 2)
    Notification.objects.filter(pk=older.pk).update(read_at=timezone.now())
    NotificationFactory.create(user=casey, title="Casey's own news")
    response = signed_in.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(newer.title) < page.index(older.title)
    assert "Casey&#x27;s own news" not in page and "Casey's own news" not in page
    assert [n.pk for n in response.context["page"]] == [newer.pk, older.pk]
    assert page.count("notification-unread") == 1
    assert page.count(">New</span>") == 1
    assert f'action="{_open(newer)}"' in page
    assert "Mark all as read" in page


def test_the_list_is_paginated_by_twenty(signed_in: Client, alex: User) -> None:
    notifications = _made(alex, 25)
    first = signed_in.get(LIST)
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"][0] == notifications[-1]
    assert "?page=2" in first.content.decode()
    second = signed_in.get(LIST, {"page": "2"})
    assert [n.pk for n in second.context["page"]] == [n.pk for n in notifications[4::-1]]
    rows = second.content.decode()
    assert all(f'action="{_open(n)}"' in rows for n in notifications[4::-1])  # each its own link
    for junk in ("0", "abc", "999", "-1"):
        assert signed_in.get(LIST, {"page": junk}).status_code == 200


def test_the_list_makes_the_same_few_queries_however_many_there_are(
    signed_in: Client, alex: User, django_assert_max_num_queries: Any
) -> None:
    _made(alex, 3)
    # Session, person, unread count (navigation), page count, page rows, and the session
    # saved again (savepoint, update, release) as every request does.
    with django_assert_max_num_queries(8):
        signed_in.get(LIST)
    _made(alex, 40)
    with django_assert_max_num_queries(8):
        signed_in.get(LIST, {"page": "2"})


def test_an_empty_list_says_so(signed_in: Client) -> None:
    page = signed_in.get(LIST).content.decode()
    assert "Nothing here yet" in page
    assert "Mark all as read" not in page


def test_opening_marks_read_and_goes_to_the_place(signed_in: Client, alex: User) -> None:
    notification = NotificationFactory.create(user=alex, url="/pairs/4/checkins/9/")
    response = signed_in.post(_open(notification))
    assert response.status_code == 302
    assert response["Location"] == "/pairs/4/checkins/9/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_not_found_and_stays_unread(
    signed_in: Client, casey: User
) -> None:
    theirs = NotificationFactory.create(user=casey)
    assert signed_in.post(_open(theirs)).status_code == 404
    assert signed_in.post(reverse("notifications:open", args=[theirs.pk + 1000])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_needs_a_post(signed_in: Client, alex: User) -> None:
    notification = NotificationFactory.create(user=alex)
    assert signed_in.get(_open(notification)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_stored_address_off_the_site_is_never_followed(signed_in: Client, alex: User) -> None:
    notification = NotificationFactory.create(user=alex, url="//elsewhere.example/")
    response = signed_in.post(_open(notification))
    assert response["Location"] == LIST


def test_mark_all_read_changes_only_the_persons_own(
    signed_in: Client, alex: User, casey: User
) -> None:
    _made(alex, 3)
    theirs = NotificationFactory.create(user=casey)
    response = signed_in.post(MARK_ALL, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "All notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(user=alex, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert signed_in.get(MARK_ALL).status_code == 405


def test_the_navigation_shows_the_unread_count_accessibly(
    signed_in: Client, alex: User, casey: User
) -> None:
    _made(alex, 3)
    NotificationFactory.create(user=casey)
    home = signed_in.get(reverse("core:home"))
    assert home.context["unread_notifications"] == 3
    page = home.content.decode()
    assert '<span class="visually-hidden">(3 unread)</span>' in page
    assert '<span class="badge" aria-hidden="true">3</span>' in page
    listing = signed_in.get(LIST).content.decode()
    assert f'<a href="{LIST}" aria-current="page">Notifications' in listing


def test_the_navigation_has_no_badge_when_all_is_read(signed_in: Client, alex: User) -> None:
    NotificationFactory.create(user=alex, read_at=timezone.now())
    page = signed_in.get(reverse("core:home")).content.decode()
    assert f'<a href="{LIST}">Notifications</a>' in page
    assert 'class="badge"' not in page


def test_anonymous_visitors_get_no_count_and_no_query_for_it(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(0):
        response = client.get(reverse("core:home"))
    assert "unread_notifications" not in response.context
    assert LIST not in response.content.decode()
