"""Screening circle posts on write: crisis alerts facilitators without the text; slurs and
probation hold a post; a muted member cannot post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from confide.circles.models import Membership, PostStatus, Thread
from confide.circles.services import CircleError
from confide.circles.services.posts import reply_create, thread_create
from confide.core.models import AuditEntry
from confide.moderation.models import Standing
from confide.moderation.tests.factories import CRISIS, FEAR, HARSH, SLUR
from confide.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _thread(member: Membership, body: str, title: str = "This week") -> Thread:
    return thread_create(membership=member, title=title, body=body, content_note="")


def test_a_crisis_post_is_saved_and_facilitators_get_an_alert_without_the_text(
    facilitator: Membership, alex_member: Membership, blake_member: Membership
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        thread = _thread(alex_member, CRISIS)
    assert thread.status == PostStatus.PUBLISHED
    assert Thread.objects.get(pk=thread.pk).body == CRISIS
    alert = Notification.objects.get(kind="safety_alert")
    assert alert.user_id == facilitator.user_id
    assert "may need support" in alert.title
    assert "kill" not in alert.title
    assert alert.url == f"/circles/{thread.circle_id}/threads/{thread.pk}/"
    # Members are never told, and neither is the writer.
    assert not Notification.objects.filter(user__in=[alex_member.user, blake_member.user]).exists()
    assert [m.to for m in mail.outbox] == [[facilitator.user.email]]
    assert "kill" not in mail.outbox[0].body and "kill" not in mail.outbox[0].subject
    entry = AuditEntry.objects.get(action="circles.safety_alert.sent")
    assert entry.data == {"facilitators": 1}
    assert all(CRISIS not in str(e.data) for e in AuditEntry.objects.all())


def test_a_crisis_reply_links_the_facilitators_to_the_reply(
    facilitator: Membership, alex_member: Membership, blake_member: Membership
) -> None:
    thread = _thread(alex_member, "Hello all.")
    reply = reply_create(membership=blake_member, thread=thread, body=CRISIS, content_note="")
    assert reply.status == PostStatus.PUBLISHED
    alert = Notification.objects.get(kind="safety_alert")
    assert alert.url.endswith(f"#reply-{reply.pk}")


def test_a_facilitator_in_crisis_is_not_alerted_about_themselves(
    facilitator: Membership, alex_member: Membership
) -> None:
    _thread(facilitator, CRISIS)
    assert not Notification.objects.filter(kind="safety_alert").exists()
    assert AuditEntry.objects.get(action="circles.safety_alert.sent").data == {"facilitators": 0}


@pytest.mark.parametrize("text", [FEAR, HARSH, "I would never hurt myself."])
def test_no_alert_without_crisis_words(alex_member: Membership, text: str) -> None:
    assert _thread(alex_member, text).status == PostStatus.PUBLISHED
    assert not Notification.objects.filter(kind="safety_alert").exists()


def test_a_slur_holds_the_post_for_moderation(
    alex_member: Membership, blake_member: Membership
) -> None:
    thread = _thread(alex_member, SLUR)
    assert thread.status == PostStatus.HELD
    published = _thread(alex_member, "A good day.")
    reply = reply_create(membership=blake_member, thread=published, body=SLUR, content_note="")
    assert reply.status == PostStatus.HELD
    published.refresh_from_db()
    assert published.reply_count == 0


def test_a_slur_in_the_title_holds_the_post_too(alex_member: Membership) -> None:
    assert _thread(alex_member, "Some thoughts.", title=SLUR).status == PostStatus.HELD


def test_probation_holds_every_new_post(alex_member: Membership) -> None:
    Standing.objects.create(membership=alex_member, probation=True)
    assert _thread(alex_member, "A good day.").status == PostStatus.HELD


def test_a_muted_member_cannot_post_until_the_mute_ends(alex_member: Membership) -> None:
    Standing.objects.create(membership=alex_member, muted_until=timezone.now() + timedelta(days=1))
    with pytest.raises(CircleError, match="paused your posting"):
        _thread(alex_member, "Hello.")
    assert not Thread.objects.exists()
    Standing.objects.filter(membership=alex_member).update(
        muted_until=timezone.now() - timedelta(minutes=1)
    )
    assert _thread(alex_member, "Hello.").status == PostStatus.PUBLISHED
