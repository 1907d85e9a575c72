"""Open reports on a facilitator's home page: a count per circle they run, nothing else."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.circles.due import person_memberships
from confide.circles.models import Circle, Membership, Thread
from confide.circles.services.posts import thread_create
from confide.circles.tests.factories import join, make_circle
from confide.core.due import DueAsk
from confide.moderation.due import reports_due
from confide.moderation.services import Decision, report_resolve
from confide.moderation.tests.factories import report

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 18)


def test_each_circle_run_shows_its_open_reports_and_a_member_sees_none(
    circle: Circle,
    dana: User,
    alex: User,
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    thread: Thread,
) -> None:
    assert reports_due(dana, TODAY) == []
    other = thread_create(membership=alex_member, title="Another", body="Words.", content_note="")
    first = report(blake_member, thread)
    report(blake_member, other)
    items = reports_due(dana, TODAY)
    assert [(i.kind, str(i.title)) for i in items] == [
        ("reports", f"2 reports to review in {circle.name}")
    ]
    assert items[0].url == reverse("moderation:queue", args=[circle.pk])
    assert reports_due(alex, TODAY) == []  # a member runs nothing
    report_resolve(facilitator=facilitator, report=first, decision=Decision())
    assert [str(i.title) for i in reports_due(dana, TODAY)] == [
        f"1 report to review in {circle.name}"
    ]


def test_only_the_circles_one_runs_are_counted(
    dana: User, alex: User, casey: User, thread: Thread, blake_member: Membership
) -> None:
    own = make_circle(alex, name="Alex's circle")
    join(own, casey, "Fern")
    report(blake_member, thread)  # in Dana's circle, where Alex is a member
    assert reports_due(alex, TODAY) == []
    assert len(reports_due(dana, TODAY)) == 1


def test_someone_who_runs_no_circle_costs_no_query_beyond_the_shared_read(
    alex: User, alex_member: Membership, django_assert_num_queries: Any
) -> None:
    ask = DueAsk(alex, TODAY)
    person_memberships(ask)
    with django_assert_num_queries(0):
        assert reports_due(alex, TODAY, ask=ask) == []
