"""Indexes for the main lists (issue 14): on PostgreSQL, each list's query can be answered from
an index on its filter. Sequential scans are turned off for the EXPLAIN, so the planner picks
an index whenever one fits: a plan still without one means the filter has no index. SQLite's
planner does not take that hint, so these run on PostgreSQL only (the CI runs them there)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import QuerySet

from confide.accounts.models import User
from confide.circles.models import Membership, Thread
from confide.circles.selectors import reply_page, thread_page
from confide.core.demo import demo_load
from confide.notifications.selectors import notifications_for
from confide.pairs.models import Pair
from confide.pairs.selectors import checkin_history

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN with enable_seqscan off is a PostgreSQL planner setting",
    ),
]


def _check_ins() -> QuerySet:
    alex = User.objects.get(email="alex@example.com")
    pair = Pair.objects.filter(members__user=alex).order_by("created_at").first()
    assert pair is not None
    return checkin_history(pair=pair, viewer=alex, page=1).paginator.object_list  # type: ignore[return-value]


def _threads() -> QuerySet:
    owner = Membership.objects.get(user__email="dana@example.com", role="owner")
    return thread_page(viewer=owner, page=1).paginator.object_list  # type: ignore[return-value]


def _replies() -> QuerySet:
    owner = Membership.objects.get(user__email="dana@example.com", role="owner")
    thread = Thread.objects.filter(circle=owner.circle).order_by("created_at").first()
    assert thread is not None
    return reply_page(viewer=owner, thread=thread, page=1).paginator.object_list  # type: ignore[return-value]


def _notifications() -> QuerySet:
    return notifications_for(user=User.objects.get(email="alex@example.com"))


LISTS: dict[str, tuple[Callable[[], QuerySet], str]] = {
    "check-in history": (_check_ins, "pairs_checkin"),
    "circle threads": (_threads, "circles_thread"),
    "thread replies": (_replies, "circles_reply"),
    "notifications": (_notifications, "notifications_notification"),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_main_list_is_read_through_an_index(name: str) -> None:
    demo_load()
    queryset, table = LISTS[name]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = queryset().explain()
    assert f"Seq Scan on {table}" not in plan, f"{name}: no index fits its filter:\n{plan}"
    assert "Index" in plan, plan
