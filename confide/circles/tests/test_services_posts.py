from __future__ import annotations

from datetime import date, timedelta

import pytest

from confide.accounts.models import User
from confide.circles.models import (
    MAX_POST,
    Circle,
    Goal,
    Membership,
    PostStatus,
    Reaction,
    Reply,
    Thread,
)
from confide.circles.services import CircleError
from confide.circles.services.goals import contribution_add, goal_create, goal_mark_reached
from confide.circles.services.membership import circle_settings_update
from confide.circles.services.posts import post_decide, reaction_set, reply_create, thread_create
from confide.circles.tests.factories import join
from confide.notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


def _thread(member: Membership, **extra: str) -> Thread:
    fields = {"title": "A hard week", "body": "It was a lot.", "content_note": ""} | extra
    return thread_create(membership=member, **fields)


def test_a_post_is_sealed_and_published(alex_member: Membership) -> None:
    thread = _thread(alex_member, content_note="relapse")
    assert thread.status == PostStatus.PUBLISHED
    raw = Thread.objects.filter(pk=thread.pk).values_list("body", "content_note").get()
    assert "It was a lot" not in str(raw)
    assert "relapse" not in str(raw)
    assert Thread.objects.get(pk=thread.pk).content_note == "relapse"


def test_oversized_and_empty_posts_are_refused_and_nothing_is_stored(
    alex_member: Membership,
) -> None:
    with pytest.raises(CircleError, match="5000 characters or fewer"):
        _thread(alex_member, body="x" * (MAX_POST + 1))
    with pytest.raises(CircleError, match="Write"):
        _thread(alex_member, body="   ")
    with pytest.raises(CircleError, match="content note"):
        _thread(alex_member, content_note="n" * 200)
    assert not Thread.objects.exists()


def test_replies_count_and_move_the_thread_up(
    alex_member: Membership, blake_member: Membership
) -> None:
    thread = _thread(alex_member)
    reply_create(membership=blake_member, thread=thread, body="I hear you.", content_note="")
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_reactions_are_one_of_each_kind_and_can_be_taken_back(
    alex_member: Membership, blake_member: Membership
) -> None:
    thread = _thread(alex_member)
    reaction_set(membership=blake_member, thread=thread, reply=None, kind="hear", on=True)
    reaction_set(membership=blake_member, thread=thread, reply=None, kind="me_too", on=True)
    with pytest.raises(CircleError, match="already given"):
        reaction_set(membership=blake_member, thread=thread, reply=None, kind="hear", on=True)
    assert Reaction.objects.count() == 2
    reaction_set(membership=blake_member, thread=thread, reply=None, kind="hear", on=False)
    with pytest.raises(CircleError, match="nothing to undo"):
        reaction_set(membership=blake_member, thread=thread, reply=None, kind="hear", on=False)
    with pytest.raises(CircleError, match="listed reactions"):
        reaction_set(membership=blake_member, thread=thread, reply=None, kind="like", on=True)
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["me_too"]
    reply = reply_create(membership=alex_member, thread=thread, body="Thank you", content_note="")
    reaction_set(membership=blake_member, thread=thread, reply=reply, kind="hear", on=True)
    assert Reaction.objects.filter(reply=reply).count() == 1


def test_new_members_first_posts_wait_for_a_facilitator(
    circle: Circle, facilitator: Membership, casey: User
) -> None:
    circle_settings_update(membership=facilitator, hold_first_posts=True)
    newcomer = join(circle, casey, "Pebble")
    first = _thread(newcomer)
    assert first.status == PostStatus.HELD
    with pytest.raises(CircleError, match="approved"):
        reply_create(membership=newcomer, thread=first, body="more", content_note="")
    with pytest.raises(CircleError, match="facilitators"):
        post_decide(membership=newcomer, thread=first, reply=None, approve=True)
    post_decide(membership=facilitator, thread=first, reply=None, approve=True)
    first.refresh_from_db()
    assert first.status == PostStatus.PUBLISHED
    newcomer.refresh_from_db()
    assert newcomer.trusted
    assert _thread(newcomer).status == PostStatus.PUBLISHED
    with pytest.raises(CircleError, match="already been decided"):
        post_decide(membership=facilitator, thread=first, reply=None, approve=False)


def test_a_held_reply_counts_once_approved(
    circle: Circle, facilitator: Membership, alex_member: Membership, casey: User
) -> None:
    circle_settings_update(membership=facilitator, hold_first_posts=True)
    thread = _thread(alex_member)  # joined before the setting: trusted
    assert thread.status == PostStatus.PUBLISHED
    newcomer = join(circle, casey, "Pebble")
    reply = reply_create(membership=newcomer, thread=thread, body="Me too", content_note="")
    assert reply.status == PostStatus.HELD
    thread.refresh_from_db()
    assert thread.reply_count == 0
    post_decide(membership=facilitator, thread=thread, reply=reply, approve=True)
    thread.refresh_from_db()
    assert thread.reply_count == 1
    assert Reply.objects.get(pk=reply.pk).status == PostStatus.PUBLISHED


def test_a_goal_reached_by_a_contribution_celebrates_with_everyone(
    alex_member: Membership, blake_member: Membership, dana: User, alex: User, blake: User
) -> None:
    goal = goal_create(
        membership=alex_member,
        title="30 walks",
        due_on=TODAY + timedelta(days=30),
        target=3,
        today=TODAY,
    )
    contribution_add(membership=alex_member, goal=goal, amount=2, note="two walks by the sea")
    goal.refresh_from_db()
    assert (goal.progress, goal.is_reached, goal.percent) == (2, False, 67)
    assert not Notification.objects.filter(kind="circle_goal").exists()
    contribution_add(membership=blake_member, goal=goal, amount=1, note="")
    goal.refresh_from_db()
    assert goal.is_reached
    assert goal.percent == 100
    notified = set(Notification.objects.filter(kind="circle_goal").values_list("user", flat=True))
    assert notified == {dana.pk, alex.pk, blake.pk}
    with pytest.raises(CircleError, match="already reached"):
        contribution_add(membership=blake_member, goal=goal, amount=1, note="")


def test_goal_input_is_checked(alex_member: Membership, facilitator: Membership) -> None:
    with pytest.raises(CircleError, match="from today"):
        goal_create(
            membership=alex_member,
            title="x",
            due_on=TODAY - timedelta(days=1),
            target=None,
            today=TODAY,
        )
    with pytest.raises(CircleError, match="Say what"):
        goal_create(membership=alex_member, title=" ", due_on=TODAY, target=None, today=TODAY)
    goal = goal_create(
        membership=alex_member, title="Be kind", due_on=TODAY, target=None, today=TODAY
    )
    with pytest.raises(CircleError, match="from 1 to"):
        contribution_add(membership=alex_member, goal=goal, amount=0, note="")
    with pytest.raises(CircleError, match="note"):
        contribution_add(membership=alex_member, goal=goal, amount=1, note="n" * 301)
    with pytest.raises(CircleError, match="facilitators"):
        goal_mark_reached(membership=alex_member, goal=goal)
    goal_mark_reached(membership=facilitator, goal=goal)
    assert Goal.objects.get(pk=goal.pk).is_reached
