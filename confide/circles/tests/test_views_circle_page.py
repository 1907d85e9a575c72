"""The circle page: its counts come from the database as numbers, not from fetched rows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.accounts.tests.factories import UserFactory
from confide.circles.models import Circle, Membership, PostStatus
from confide.circles.selectors import queue_size
from confide.circles.services.membership import circle_settings_update, join_request_create
from confide.circles.services.posts import post_decide, reaction_set, reply_create, thread_create
from confide.circles.tests.factories import join, make_circle
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _summary_of(page: str, title: str) -> str:
    found = re.search(rf">{title}</a></h3>\s*<p class=\"muted\">(.*?)</p>", page, re.S)
    assert found, title
    return " ".join(found.group(1).split())


def test_each_conversation_shows_how_many_reactions_it_and_its_replies_received(
    circle: Circle,
    facilitator: Membership,
    alex_member: Membership,
    blake_member: Membership,
    alex: User,
) -> None:
    many = thread_create(membership=alex_member, title="Many", body="b", content_note="")
    one = thread_create(membership=alex_member, title="One", body="b", content_note="")
    thread_create(membership=alex_member, title="None", body="b", content_note="")
    reply = reply_create(membership=blake_member, thread=many, body="r", content_note="")
    for member, thread, on_reply, kind in [
        (blake_member, many, None, "hear"),
        (facilitator, many, None, "hear"),
        (facilitator, many, reply, "thanks"),
        (blake_member, one, None, "strength"),
    ]:
        reaction_set(membership=member, thread=thread, reply=on_reply, kind=kind, on=True)
    page = client_for(alex).get(reverse("circles:detail", args=[circle.pk])).content.decode()
    assert _summary_of(page, "Many").endswith("· 1 reply · 3 reactions")
    assert _summary_of(page, "One").endswith("· 0 replies · 1 reaction")
    assert "reaction" not in _summary_of(page, "None")


def test_the_approval_count_adds_held_threads_held_replies_and_join_requests(
    circle: Circle, facilitator: Membership, dana: User, casey: User, eli: User
) -> None:
    circle_settings_update(membership=facilitator, hold_first_posts=True)
    published = thread_create(membership=facilitator, title="Open", body="b", content_note="")
    held_thread = thread_create(
        membership=join(circle, casey, "Pebble"), title="First", body="b", content_note=""
    )
    held_reply = reply_create(
        membership=join(circle, eli, "Fern"), thread=published, body="r", content_note=""
    )
    assert (held_thread.status, held_reply.status) == (PostStatus.HELD, PostStatus.HELD)
    join_request_create(circle=circle, user=UserFactory.create(), pseudonym="Moss")
    # What waits in another circle is not counted here.
    other = make_circle(UserFactory.create(), name="Another circle", hold=True)
    join_request_create(circle=other, user=UserFactory.create(), pseudonym="Reed")

    assert queue_size(circle=circle) == 3
    assert queue_size(circle=other) == 1
    client = client_for(dana)
    detail = reverse("circles:detail", args=[circle.pk])
    assert "3 items wait for your approval" in client.get(detail).content.decode()
    post_decide(membership=facilitator, thread=held_thread, reply=None, approve=True)
    assert "2 items wait for your approval" in client.get(detail).content.decode()
