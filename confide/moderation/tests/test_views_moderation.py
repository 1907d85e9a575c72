"""Reporting, the facilitators' queue, blocking and hidden posts, through the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from confide.accounts.models import User
from confide.circles.models import Circle, Membership, Thread
from confide.circles.services.posts import reply_create, thread_create
from confide.circles.tests.factories import join, make_circle
from confide.moderation.models import (
    Block,
    HiddenPost,
    MemberWarning,
    Report,
    Standing,
    WarningPreset,
)
from confide.moderation.services import Decision, block_set, report_resolve
from confide.moderation.tests.factories import report
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _report_url(thread: Thread) -> str:
    return reverse("moderation:report_thread", args=[thread.circle_id, thread.pk])


def test_a_member_reports_a_post_from_the_thread_page(
    thread: Thread, blake_member: Membership
) -> None:
    client = client_for(blake_member.user)
    page = client.get(reverse("circles:thread", args=[thread.circle_id, thread.pk]))
    assert _report_url(thread) in page.content.decode()
    form = client.get(_report_url(thread))
    assert form.status_code == 200
    assert "Distress: someone may be at risk" in form.content.decode()
    response = client.post(_report_url(thread), {"reason": "distress", "note": "worried"})
    assert response.status_code == 302
    assert Report.objects.get().reason == "distress"
    assert "you will hear back" in client.get(response["Location"]).content.decode()


def test_a_bad_report_answers_400_and_stores_nothing(
    thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    client = client_for(blake_member.user)
    assert client.post(_report_url(thread), {"reason": "nope"}).status_code == 400
    assert (
        client.post(_report_url(thread), {"reason": "spam", "note": "x" * 1001}).status_code == 400
    )
    own = client_for(alex_member.user).post(_report_url(thread), {"reason": "spam"})
    assert own.status_code == 400
    assert "your own post" in own.content.decode()
    assert not Report.objects.exists()


def test_reports_on_foreign_posts_are_404(
    thread: Thread, blake_member: Membership, alex_member: Membership, casey: User
) -> None:
    other = make_circle(casey, name="Elsewhere", pseudonym="Moss")
    foreign = thread_create(
        membership=join(other, alex_member.user, "Harbour"), title="T", body="B", content_note=""
    )
    client = client_for(blake_member.user)
    # Another circle's thread, reached through this circle or its own.
    url = reverse("moderation:report_thread", args=[thread.circle_id, foreign.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 404
    assert client.post(_report_url(foreign), {"reason": "spam"}).status_code == 404
    reply = reply_create(
        membership=Membership.objects.get(circle=other, pseudonym="Moss"),
        thread=foreign,
        body="R",
        content_note="",
    )
    reply_url = reverse("moderation:report_reply", args=[thread.circle_id, thread.pk, reply.pk])
    assert client.post(reply_url, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_the_queue_is_for_facilitators_with_distress_first(
    circle: Circle,
    facilitator: Membership,
    thread: Thread,
    alex_member: Membership,
    blake_member: Membership,
) -> None:
    report(blake_member, thread, reason="spam")
    reply = reply_create(membership=alex_member, thread=thread, body="Heavy day", content_note="")
    report(blake_member, thread, reply=reply, reason="distress")
    url = reverse("moderation:queue", args=[circle.pk])
    assert client_for(alex_member.user).get(url).status_code == 404
    body = client_for(facilitator.user).get(url).content.decode()
    assert body.index("someone may be at risk") < body.index("Spam or advertising")
    assert "Speak from your own experience" in body  # the starter notes are offered


def test_a_facilitator_hides_and_warns_in_one_decision(
    circle: Circle,
    facilitator: Membership,
    thread: Thread,
    alex_member: Membership,
    blake_member: Membership,
) -> None:
    made = report(blake_member, thread)
    client = client_for(facilitator.user)
    client.get(reverse("moderation:queue", args=[circle.pk]))  # the starter notes
    preset = WarningPreset.objects.filter(circle=circle).first()
    assert preset is not None
    url = reverse("moderation:decide", args=[circle.pk, made.pk])
    data = {f"{made.pk}-hide": "on", f"{made.pk}-warning": preset.pk, f"{made.pk}-restriction": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    assert HiddenPost.objects.filter(thread=thread).exists()
    assert MemberWarning.objects.get().membership_id == alex_member.pk
    # Again: a clear message, and nothing changes.
    again = client.post(url, data, follow=True)
    assert "already resolved" in again.content.decode()
    assert MemberWarning.objects.count() == 1
    # Members see that "a facilitator" hid it, never who.
    page = client_for(blake_member.user).get(reverse("circles:thread", args=[circle.pk, thread.pk]))
    text = page.content.decode()
    assert "A facilitator hid this post." in text
    assert "It was a lot." not in text
    listing = client_for(blake_member.user).get(reverse("circles:detail", args=[circle.pk]))
    assert "A hard week" not in listing.content.decode()
    # Its author still sees it, marked.
    own = client_for(alex_member.user).get(reverse("circles:thread", args=[circle.pk, thread.pk]))
    assert "hidden by a facilitator" in own.content.decode()
    notes = client_for(alex_member.user).get(reverse("moderation:mine", args=[circle.pk]))
    assert preset.text in notes.content.decode().replace("&quot;", '"').replace("&#x27;", "'")


def test_a_mute_without_a_length_is_a_clear_400(
    circle: Circle, facilitator: Membership, thread: Thread, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    url = reverse("moderation:decide", args=[circle.pk, made.pk])
    response = client_for(facilitator.user).post(url, {f"{made.pk}-restriction": "mute"})
    assert response.status_code == 400
    assert "Choose for how long" in response.content.decode()
    made.refresh_from_db()
    assert made.is_open


def test_restore_from_the_queue(
    circle: Circle, facilitator: Membership, thread: Thread, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    report_resolve(facilitator=facilitator, report=made, decision=Decision(hide=True))
    hidden = HiddenPost.objects.get()
    url = reverse("moderation:restore", args=[circle.pk, hidden.pk])
    assert client_for(blake_member.user).post(url).status_code == 404
    assert client_for(facilitator.user).post(url).status_code == 302
    assert not HiddenPost.objects.exists()


def test_a_blocked_members_posts_are_collapsed_for_the_blocker_only(
    circle: Circle, thread: Thread, alex_member: Membership, blake_member: Membership
) -> None:
    client = client_for(blake_member.user)
    thread_url = reverse("circles:thread", args=[circle.pk, thread.pk])
    block_url = reverse("moderation:block", args=[circle.pk, alex_member.pk])
    assert client.post(block_url, {"next": thread_url})["Location"] == thread_url
    assert Block.objects.filter(blocker=blake_member, blocked=alex_member).exists()
    body = client.get(thread_url).content.decode()
    assert '<details class="blocked-post">' in body
    assert "Hidden because you blocked this member" in body
    assert (
        "Hidden because you blocked"
        not in client_for(alex_member.user).get(thread_url).content.decode()
    )
    # Blocking does not stop the blocked member from reporting the blocker.
    reply = reply_create(membership=blake_member, thread=thread, body="Hi", content_note="")
    url = reverse("moderation:report_reply", args=[circle.pk, thread.pk, reply.pk])
    assert client_for(alex_member.user).post(url, {"reason": "other"}).status_code == 302
    unblock_url = reverse("moderation:unblock", args=[circle.pk, alex_member.pk])
    client.post(unblock_url)
    assert not Block.objects.exists()
    assert "Hidden because you blocked" not in client.get(thread_url).content.decode()


def test_block_answers_clearly_for_oneself_and_404_for_strangers(
    circle: Circle, alex_member: Membership, casey: User
) -> None:
    client = client_for(alex_member.user)
    own = client.post(reverse("moderation:block", args=[circle.pk, alex_member.pk]), follow=True)
    assert "cannot block yourself" in own.content.decode()
    other = make_circle(casey, name="Elsewhere", pseudonym="Moss")
    stranger = Membership.objects.get(circle=other)
    assert (
        client.post(reverse("moderation:block", args=[circle.pk, stranger.pk])).status_code == 404
    )
    assert not Block.objects.exists()


def test_facilitators_edit_and_add_presets(circle: Circle, facilitator: Membership) -> None:
    client = client_for(facilitator.user)
    url = reverse("moderation:presets", args=[circle.pk])
    assert client.get(url).status_code == 200
    preset = WarningPreset.objects.filter(circle=circle).first()
    assert preset is not None
    edit = reverse("moderation:preset_edit", args=[circle.pk, preset.pk])
    client.post(
        edit, {f"p{preset.pk}-label": "Own words", f"p{preset.pk}-text": "Speak for yourself."}
    )
    preset.refresh_from_db()
    assert preset.label == "Own words"
    assert client.post(url, {"new-label": "", "new-text": "x"}).status_code == 400
    client.post(url, {"new-label": "Be kind", "new-text": "Gently, please."})
    assert WarningPreset.objects.filter(circle=circle, label="Be kind").exists()


def test_mine_shows_blocks_and_report_outcomes(
    circle: Circle,
    facilitator: Membership,
    thread: Thread,
    alex_member: Membership,
    blake_member: Membership,
) -> None:
    block_set(membership=blake_member, target=alex_member)
    made = report(blake_member, thread)
    report_resolve(facilitator=facilitator, report=made, decision=Decision())
    body = (
        client_for(blake_member.user)
        .get(reverse("moderation:mine", args=[circle.pk]))
        .content.decode()
    )
    assert "Unblock Harbour" in body
    assert "reviewed; left up" in body


def test_facilitators_still_read_a_hidden_post_marked_as_hidden(
    circle: Circle, facilitator: Membership, thread: Thread, blake_member: Membership
) -> None:
    made = report(blake_member, thread)
    report_resolve(facilitator=facilitator, report=made, decision=Decision(hide=True))
    body = (
        client_for(facilitator.user)
        .get(reverse("circles:thread", args=[circle.pk, thread.pk]))
        .content.decode()
    )
    assert "hidden by a facilitator" in body
    assert "It was a lot." in body


def test_no_report_link_on_ones_own_post(thread: Thread, alex_member: Membership) -> None:
    page = client_for(alex_member.user).get(
        reverse("circles:thread", args=[thread.circle_id, thread.pk])
    )
    assert _report_url(thread) not in page.content.decode()


def test_a_muted_member_is_told_clearly_and_nothing_is_saved(
    circle: Circle, alex_member: Membership
) -> None:
    Standing.objects.create(membership=alex_member, muted_until=timezone.now() + timedelta(days=1))
    response = client_for(alex_member.user).post(
        reverse("circles:thread_new", args=[circle.pk]),
        {"title": "Hi", "body": "Hello", "content_note": ""},
    )
    assert response.status_code == 400
    assert "paused your posting" in response.content.decode()
    assert not Thread.objects.exists()
