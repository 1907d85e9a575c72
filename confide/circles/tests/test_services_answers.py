"""Members hear when someone answers them: a reply to their thread (on by default) or a
reaction to their post (off until chosen), never with the words, never from someone blocked."""

from __future__ import annotations

import pytest

from confide.accounts.models import User
from confide.circles.models import Circle, Membership
from confide.circles.services.posts import reaction_set, reply_create, thread_create
from confide.moderation.models import Block
from confide.notifications.models import Channel, Kind, Notification
from confide.notifications.services import preferences_update

pytestmark = pytest.mark.django_db


def _kinds(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_reply_tells_the_threads_author_without_the_words(
    circle: Circle, alex: User, alex_member: Membership, blake_member: Membership
) -> None:
    thread = thread_create(membership=alex_member, title="Week one", body="Hi", content_note="")
    reply_create(membership=blake_member, thread=thread, body="Welcome, glad you came.",
                 content_note="")  # fmt: skip
    note = Notification.objects.get(user=alex)
    assert note.kind == Kind.CIRCLE_REPLY
    assert "Willow" in note.title and circle.name in note.title
    assert "Welcome" not in note.title and "Week one" not in note.title
    # Answering one's own thread tells nobody.
    reply_create(membership=alex_member, thread=thread, body="Thank you!", content_note="")
    assert _kinds(alex) == [Kind.CIRCLE_REPLY]


def test_nothing_from_someone_the_author_blocked(
    alex: User, alex_member: Membership, blake_member: Membership
) -> None:
    Block.objects.create(blocker=alex_member, blocked=blake_member)
    thread = thread_create(membership=alex_member, title="Week one", body="Hi", content_note="")
    reply_create(membership=blake_member, thread=thread, body="Hello", content_note="")
    assert _kinds(alex) == []


def test_reactions_are_off_by_default_and_on_when_chosen(
    alex: User, alex_member: Membership, blake_member: Membership
) -> None:
    thread = thread_create(membership=alex_member, title="Week one", body="Hi", content_note="")
    reaction_set(membership=blake_member, thread=thread, reply=None, kind="hear", on=True)
    assert _kinds(alex) == []
    preferences_update(
        user=alex,
        channels={Kind.CIRCLE_REACTION: Channel.IN_APP},
        quiet_start=None,
        quiet_end=None,
        quiet_enabled=False,
    )
    reaction_set(membership=blake_member, thread=thread, reply=None, kind="me_too", on=True)
    assert _kinds(alex) == [Kind.CIRCLE_REACTION]
