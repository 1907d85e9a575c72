"""Fixed queries (issue 14): each key page costs the same number of queries whether its lists
hold a few rows or many, and no more than its pinned count. The pages are the demo's; "many"
adds months of check-ins, dozens of threads and replies and notifications on top."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from confide.accounts.models import User
from confide.circles.models import Membership, Thread
from confide.circles.services.posts import reply_create
from confide.core.demo import demo_load
from confide.notifications.models import Kind, Notification
from confide.pairs.models import CheckIn, Pair
from confide.safety.classifier import use_classifier
from tests.personas import client_for

pytestmark = pytest.mark.django_db(transaction=True)

MORE_DAYS = 90
MORE = 40

# page -> (who looks, path from the demo's ids, the most queries it may take: today's count,
# so a new query is a decision made here). Whatever the number of rows, they must not grow.
Ids = dict[str, str]
PAGES: dict[str, tuple[str, Callable[[Ids], str], int]] = {
    "home": ("alex@example.com", lambda ids: "/", 14),
    "pair page": ("alex@example.com", lambda ids: f"/pairs/{ids['pair']}/", 9),
    "history": ("alex@example.com", lambda ids: f"/pairs/{ids['pair']}/history/", 6),
    "circle page": ("dana@example.com", lambda ids: f"/circles/{ids['circle']}/", 10),
    "thread": (
        "dana@example.com",
        lambda ids: f"/circles/{ids['circle']}/threads/{ids['thread']}/",
        11,
    ),
    "progress": ("alex@example.com", lambda ids: "/measures/progress/", 5),
    "notifications": ("alex@example.com", lambda ids: "/notifications/", 4),
}


def _demo() -> Ids:
    demo_load()
    alex = User.objects.get(email="alex@example.com")
    pair = Pair.objects.filter(members__user=alex).order_by("created_at").first()
    owner = Membership.objects.get(user__email="dana@example.com", role="owner")
    thread = Thread.objects.filter(circle=owner.circle).order_by("created_at").first()
    assert pair is not None and thread is not None
    return {"pair": str(pair.pk), "circle": str(owner.circle_id), "thread": str(thread.pk)}


def _grow(ids: Ids) -> None:
    """Many more rows in every list the pages show."""
    pair = Pair.objects.get(pk=ids["pair"])
    members = [m.user for m in pair.members.select_related("user")]
    taken = set(CheckIn.objects.filter(pair=pair).values_list("author_id", "day"))
    today = timezone.localdate()
    CheckIn.objects.bulk_create(
        CheckIn(
            pair=pair,
            author=user,
            day=day,
            mood=3,
            visibility="shared",
            space=pair.space,
            note="An ordinary day.",
        )
        for back in range(1, MORE_DAYS)
        for user in members
        if (user.pk, day := today - timedelta(days=back)) not in taken
    )
    owner = Membership.objects.select_related("circle", "user").get(
        user__email="dana@example.com", role="owner"
    )
    thread = Thread.objects.get(pk=ids["thread"])
    Thread.objects.bulk_create(
        Thread(
            circle=owner.circle,
            space=owner.circle.space,
            author=owner,
            title=f"Thread {n}",
            body="A few words.",
            status="published",
        )
        for n in range(MORE)
    )
    with use_classifier(None, "the test's own words"):
        for n in range(MORE):
            reply_create(membership=owner, thread=thread, body=f"Reply {n}.", content_note="")
    alex = User.objects.get(email="alex@example.com")
    Notification.objects.bulk_create(
        Notification(
            user=alex, kind=Kind.values[0], event_key=f"test:{n}", title="Something", url="/"
        )
        for n in range(MORE)
    )


def _count(email: str, path: str) -> int:
    client = client_for(User.objects.get(email=email))
    assert client.get(path).status_code == 200, path  # warm: first-visit writes are not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_a_key_page_takes_the_same_queries_for_few_and_many_rows(name: str) -> None:
    email, path_for, pinned = PAGES[name]
    ids = _demo()
    path = path_for(ids)
    few = _count(email, path)
    _grow(ids)
    many = _count(email, path)
    assert many == few, f"{name}: {few} queries with the demo, {many} with many more rows"
    assert many <= pinned, f"{name}: {many} queries, pinned at most {pinned}"
