from __future__ import annotations

import pytest

from confide.accounts.models import User
from confide.circles.models import Circle, Membership
from confide.circles.services import CircleError
from confide.circles.services.guidelines import (
    guidelines_accept,
    guidelines_diff,
    guidelines_publish,
)
from confide.circles.services.posts import thread_create
from confide.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_diff_marks_added_removed_and_kept_lines() -> None:
    changes = guidelines_diff("one\ntwo\nthree", "one\n2\nthree\nfour")
    assert [(c.op, c.text) for c in changes] == [
        ("same", "one"),
        ("removed", "two"),
        ("added", "2"),
        ("same", "three"),
        ("added", "four"),
    ]


def test_a_new_version_asks_everyone_to_accept_again(
    circle: Circle, facilitator: Membership, alex_member: Membership, alex: User
) -> None:
    guidelines_publish(membership=facilitator, text="Be kind.\nListen first.")
    circle.refresh_from_db()
    alex_member.refresh_from_db()
    assert circle.guidelines_version == 2
    assert not alex_member.has_accepted_guidelines
    facilitator.refresh_from_db()
    assert facilitator.has_accepted_guidelines  # its author accepted it by publishing it
    assert Notification.objects.filter(user=alex, kind="circle_guidelines").count() == 1
    with pytest.raises(CircleError, match="accept the circle's current guidelines"):
        thread_create(membership=alex_member, title="Hi", body="Hello", content_note="")
    with pytest.raises(CircleError, match="changed while you were reading"):
        guidelines_accept(membership=alex_member, version=1)
    guidelines_accept(membership=alex_member, version=2)
    alex_member.refresh_from_db()
    thread_create(membership=alex_member, title="Hi", body="Hello", content_note="")


def test_members_cannot_publish_and_empty_or_unchanged_text_is_refused(
    facilitator: Membership, alex_member: Membership
) -> None:
    with pytest.raises(CircleError, match="facilitators"):
        guidelines_publish(membership=alex_member, text="Mine now")
    with pytest.raises(CircleError, match="empty"):
        guidelines_publish(membership=facilitator, text="   ")
    current = facilitator.circle.guidelines.get(version=1).text
    with pytest.raises(CircleError, match="same text"):
        guidelines_publish(membership=facilitator, text=current)
    assert facilitator.circle.guidelines.count() == 1
