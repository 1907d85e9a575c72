"""Screening circle posts through the pages: support for the writer first, a private coach for
harsh replies, and a clear word when a post waits for a facilitator."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from confide.circles.models import Membership, PostStatus, Reply, Thread
from confide.core.models import AuditEntry
from confide.moderation.tests.factories import CRISIS, FEAR, HARSH, SLUR
from confide.notifications.models import Notification
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _new_thread(member: Membership, body: str, client: Client | None = None) -> str:
    response = (client or client_for(member.user)).post(
        reverse("circles:thread_new", args=[member.circle_id]),
        {"title": "This week", "body": body, "content_note": ""},
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_a_crisis_post_shows_the_writer_crisis_resources_first(
    facilitator: Membership, alex_member: Membership
) -> None:
    alex_member.user.country = "GB"
    alex_member.user.save()
    client = client_for(alex_member.user)
    location = _new_thread(alex_member, CRISIS, client)
    assert location.startswith(reverse("safety:support"))
    assert "kill" not in location
    thread = Thread.objects.get()
    assert thread.body == CRISIS
    page = client.get(location).content.decode()
    assert "116 123" in page
    assert "facilitators have been told that a member may need support" in page
    assert Notification.objects.filter(user=facilitator.user, kind="safety_alert").exists()
    assert AuditEntry.objects.filter(action="safety.crisis.resources_shown").exists()


def test_the_facilitator_follows_the_alert_to_the_post(
    facilitator: Membership, alex_member: Membership
) -> None:
    _new_thread(alex_member, CRISIS)
    alert = Notification.objects.get(kind="safety_alert")
    page = client_for(facilitator.user).get(alert.url)
    assert page.status_code == 200
    assert CRISIS in page.content.decode()


def test_fear_words_show_relationship_abuse_resources_privately(
    facilitator: Membership, alex_member: Membership
) -> None:
    location = _new_thread(alex_member, FEAR)
    assert "kind=fear" in location
    assert not Notification.objects.filter(kind="safety_alert").exists()


def test_a_harsh_reply_meets_the_private_coach_and_can_be_sent_as_it_is(
    alex_member: Membership, blake_member: Membership
) -> None:
    thread = Thread.objects.create(
        circle_id=alex_member.circle_id,
        space_id=alex_member.circle.space_id,
        author=alex_member,
        title="Hi",
        body="Hello",
        status=PostStatus.PUBLISHED,
    )
    url = reverse("circles:reply", args=[thread.circle_id, thread.pk])
    client = client_for(blake_member.user)
    response = client.post(url, {"body": HARSH, "content_note": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Before you send" in body
    assert "Send as it is" in body
    assert not Reply.objects.exists()
    sent = client.post(url, {"body": HARSH, "content_note": "", "send_as_is": "1"})
    assert sent.status_code == 302
    assert Reply.objects.get().body == HARSH


def test_a_harsh_thread_is_not_coached(alex_member: Membership) -> None:
    location = _new_thread(alex_member, HARSH)
    assert location == reverse(
        "circles:thread", args=[alex_member.circle_id, Thread.objects.get().pk]
    )


def test_a_slur_holds_the_post_and_the_writer_is_told_why(
    alex_member: Membership, blake_member: Membership
) -> None:
    client = client_for(alex_member.user)
    location = _new_thread(alex_member, SLUR, client)
    thread = Thread.objects.get()
    assert thread.status == PostStatus.HELD
    page = client.get(location).content.decode()
    assert "waits for a facilitator: some words in it may hurt people" in page
    # Other members cannot open it until a facilitator approves.
    assert client_for(blake_member.user).get(location).status_code == 404
