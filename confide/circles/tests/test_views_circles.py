from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from confide.accounts.models import User
from confide.accounts.tests.factories import UserFactory
from confide.circles.models import (
    Circle,
    CircleInvitation,
    Goal,
    JoinRequest,
    Membership,
    PostStatus,
    Reaction,
    Reply,
    Round,
    Thread,
)
from confide.circles.services.goals import contribution_add, goal_create
from confide.circles.services.guidelines import guidelines_publish
from confide.circles.services.meetings import meeting_create
from confide.circles.services.membership import (
    circle_settings_update,
    invitation_create,
    join_request_create,
    profile_update,
)
from confide.circles.services.posts import reaction_set, reply_create, thread_create
from confide.circles.services.rounds import round_join
from confide.circles.tests.factories import join
from tests.personas import client_for

pytestmark = pytest.mark.django_db
CANARY_NAME = "Canaryname Quillfeather"
CANARY_EMAIL = "canary-3f1b@example.org"


def _pages(circle: Circle, thread: Thread, goal: Goal, meeting_id: Any) -> list[str]:
    c = circle.pk
    return [
        reverse("circles:list"),
        reverse("circles:detail", args=[c]),
        reverse("circles:members", args=[c]),
        reverse("circles:guidelines", args=[c]),
        reverse("circles:thread", args=[c, thread.pk]),
        reverse("circles:goal", args=[c, goal.pk]),
        reverse("circles:meeting", args=[c, meeting_id]),
        reverse("circles:queue", args=[c]),
        reverse("circles:invite", args=[c]),
        reverse("notifications:list"),
    ]


def test_members_see_pseudonyms_and_self_descriptions_never_account_names_or_emails(
    circle: Circle, facilitator: Membership, dana: User
) -> None:
    canary = UserFactory.create(email=CANARY_EMAIL, display_name=CANARY_NAME)
    member = join(circle, canary, "Seabird")
    profile_update(
        membership=member,
        pseudonym="Seabird",
        about="I write poems.",
        pronouns="she/her",
        background="grew up by the coast",
        brings="a calm voice",
    )
    join_request_create(
        circle=circle,
        user=UserFactory.create(email="canary-req@example.org", display_name="Canaryreq Person"),
        pseudonym="Asker",
    )
    thread = thread_create(membership=member, title="Hello", body="First words", content_note="")
    reply_create(membership=member, thread=thread, body="More words", content_note="")
    reaction_set(membership=member, thread=thread, reply=None, kind="hear", on=True)
    goal = goal_create(
        membership=member, title="Walks", due_on=date(2030, 1, 1), target=5, today=date(2026, 1, 1)
    )
    contribution_add(membership=member, goal=goal, amount=1, note="a walk")
    meeting = meeting_create(
        membership=facilitator,
        title="Weekly",
        start_date=date(2030, 1, 3),
        start_time=time(19, 0),
        time_zone="Europe/Berlin",
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        location="",
        agenda="",
    )
    round_ = Round.objects.create(
        meeting=meeting, occurrence=meeting.first_start, opened_by=facilitator
    )
    round_join(membership=member, round_=round_)
    client = client_for(dana)
    seen = ""
    extra = [
        reverse("circles:round", args=[circle.pk, round_.pk]),
        reverse("circles:profile", args=[circle.pk]),
        reverse("circles:settings", args=[circle.pk]),
        reverse("circles:thread_new", args=[circle.pk]),
    ]
    for url in [*_pages(circle, thread, goal, meeting.pk), *extra]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert CANARY_NAME not in body, url
        assert CANARY_EMAIL not in body, url
        assert "Canaryreq" not in body and "canary-req" not in body, url
        seen += body
    for shown in ("Seabird", "I write poems.", "she/her", "a calm voice", "Asker"):
        assert shown in seen


def test_an_outsider_gets_404_everywhere_and_a_left_member_too(
    circle: Circle, alex_member: Membership, casey: User, alex: User
) -> None:
    thread = thread_create(membership=alex_member, title="T", body="B", content_note="")
    for persona in (casey,):
        client = client_for(persona)
        for name, args in [
            ("circles:detail", [circle.pk]),
            ("circles:members", [circle.pk]),
            ("circles:thread", [circle.pk, thread.pk]),
            ("circles:guidelines", [circle.pk]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 404
        response = client.post(
            reverse("circles:reply", args=[circle.pk, thread.pk]), {"body": "sneaky"}
        )
        assert response.status_code == 404
    client_for(alex).post(reverse("circles:leave", args=[circle.pk]))
    assert client_for(alex).get(reverse("circles:detail", args=[circle.pk])).status_code == 404


def test_creating_a_circle_offers_the_starter_guidelines(alex: User) -> None:
    client = client_for(alex)
    page = client.get(reverse("circles:create")).content.decode()
    assert "We keep what is shared here inside this circle." in page
    response = client.post(
        reverse("circles:create"),
        {
            "name": "Evening circle",
            "purpose": "",
            "pseudonym": "Harbour",
            "guidelines": "Be gentle.",
        },
    )
    circle = Circle.objects.get(name="Evening circle")
    assert response.status_code == 302
    assert response["Location"] == reverse("circles:detail", args=[circle.pk])


def test_joining_through_the_link_with_guidelines_accepted(
    circle: Circle, facilitator: Membership, alex: User, blake: User
) -> None:
    _invitation, raw = invitation_create(membership=facilitator)
    url = reverse("circles:join", args=[circle.pk, raw])
    client = client_for(alex)
    page = client.get(url)
    assert "We keep what is shared" in page.content.decode()
    refused = client.post(url, {"pseudonym": "Harbour"})
    assert refused.status_code == 400
    assert "Accept the guidelines" in refused.content.decode()
    taken = client.post(url, {"pseudonym": "LANTERN", "accept": "on"})
    assert taken.status_code == 400
    assert "already uses the name" in taken.content.decode()
    assert client.post(url, {"pseudonym": "Harbour", "accept": "on"}).status_code == 302
    used = client_for(blake).get(url)
    assert used.status_code == 400
    assert "already been used" in used.content.decode()
    assert client_for(None).get(reverse("circles:join", args=[circle.pk, "x"])).status_code == 400


def test_a_member_who_has_not_accepted_new_guidelines_cannot_post(
    circle: Circle, facilitator: Membership, alex_member: Membership, alex: User
) -> None:
    guidelines_publish(membership=facilitator, text="We listen.\nWe are kind.")
    client = client_for(alex)
    detail = client.get(reverse("circles:detail", args=[circle.pk])).content.decode()
    assert "Please read and accept them" in detail
    response = client.post(
        reverse("circles:thread_new", args=[circle.pk]),
        {"title": "Hi", "body": "Hello", "content_note": ""},
    )
    assert response.status_code == 400
    assert "accept the circle&#x27;s current guidelines" in response.content.decode()
    assert not Thread.objects.exists()
    page = client.get(reverse("circles:guidelines", args=[circle.pk])).content.decode()
    assert "<ins>" in page and "We listen." in page
    assert "<del>" in page
    client.post(reverse("circles:guidelines", args=[circle.pk]), {"version": 2})
    response = client.post(
        reverse("circles:thread_new", args=[circle.pk]),
        {"title": "Hi", "body": "Hello", "content_note": ""},
    )
    assert response.status_code == 302


def test_the_guidelines_diff_is_escaped(
    circle: Circle, facilitator: Membership, alex_member: Membership, alex: User
) -> None:
    guidelines_publish(membership=facilitator, text="<script>alert(1)</script>")
    page = client_for(alex).get(reverse("circles:guidelines", args=[circle.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_content_note_folds_the_body_away(
    circle: Circle, alex_member: Membership, blake_member: Membership, blake: User
) -> None:
    thread = thread_create(
        membership=alex_member, title="Loss", body="My father died.", content_note="bereavement"
    )
    page = client_for(blake).get(reverse("circles:thread", args=[circle.pk, thread.pk]))
    body = page.content.decode()
    assert re.search(r"<details class=\"content-note\">\s*<summary>Content note: bereavement", body)
    assert body.index("bereavement") < body.index("My father died.") < body.index("</details>")


def test_oversized_posts_get_a_clear_message_and_nothing_changes(
    circle: Circle, alex_member: Membership, alex: User
) -> None:
    response = client_for(alex).post(
        reverse("circles:thread_new", args=[circle.pk]),
        {"title": "Long", "body": "x" * 5001, "content_note": ""},
    )
    assert response.status_code == 400
    assert "5000 characters or fewer" in response.content.decode()
    assert not Thread.objects.exists()


def test_reacting_through_the_page_and_twice_from_an_old_page(
    circle: Circle, alex_member: Membership, blake_member: Membership, blake: User
) -> None:
    thread = thread_create(membership=alex_member, title="T", body="B", content_note="")
    url = reverse("circles:react", args=[circle.pk, thread.pk])
    client = client_for(blake)
    form = {"reaction": "give:strength", "next": "/circles/"}
    assert client.post(url, form).status_code == 302
    again = client.post(url, form, follow=True)
    assert "You have already given this reaction." in again.content.decode()
    assert Reaction.objects.count() == 1
    page = client.get(reverse("circles:thread", args=[circle.pk, thread.pk])).content.decode()
    assert 'value="take:strength" class="reaction reaction-mine" aria-pressed="true"' in page
    client.post(url, {"reaction": "take:strength"})
    assert not Reaction.objects.exists()
    undone = client.post(url, {"reaction": "take:strength"}, follow=True)
    assert "nothing to undo" in undone.content.decode()
    for bad_value in ("give:like", "flip:hear", "give", "", "give:hear:x"):
        bad = client.post(url, {"reaction": bad_value}, follow=True)
        assert "Choose one of the listed reactions." in bad.content.decode(), bad_value
    assert (
        "Choose one of the listed reactions." in client.post(url, {}, follow=True).content.decode()
    )
    assert not Reaction.objects.exists()
    assert client.post(url, {"reaction": "give:hear", "reply": "nope"}).status_code == 404


def test_reacting_brings_the_person_back_to_the_post_they_reacted_to(
    circle: Circle, alex_member: Membership, blake_member: Membership, blake: User
) -> None:
    thread = thread_create(membership=alex_member, title="T", body="B", content_note="")
    reply = reply_create(membership=alex_member, thread=thread, body="A reply.", content_note="")
    url = reverse("circles:react", args=[circle.pk, thread.pk])
    page = reverse("circles:thread", args=[circle.pk, thread.pk])
    client = client_for(blake)
    to_reply = client.post(
        url, {"reaction": "give:hear", "reply": reply.pk, "next": f"{page}?page=2"}
    )
    assert to_reply["Location"] == f"{page}?page=2#reply-{reply.pk}"
    to_thread = client.post(url, {"reaction": "give:hear", "next": page})
    assert to_thread["Location"] == f"{page}#thread-title"
    foreign = client.post(url, {"reaction": "take:hear", "next": "https://example.net/x"})
    assert foreign["Location"] == f"{page}#thread-title"


def test_the_approval_queue_lets_a_facilitator_publish_a_first_post(
    circle: Circle, facilitator: Membership, dana: User, casey: User
) -> None:
    circle_settings_update(membership=facilitator, hold_first_posts=True)
    newcomer = join(circle, casey, "Pebble")
    thread = thread_create(membership=newcomer, title="First", body="Hi all", content_note="")
    client = client_for(dana)
    queue = client.get(reverse("circles:queue", args=[circle.pk])).content.decode()
    assert "Hi all" in queue
    client.post(
        reverse("circles:held_decide", args=[circle.pk, thread.pk]), {"decision": "approve"}
    )
    thread.refresh_from_db()
    assert thread.status == PostStatus.PUBLISHED


def test_a_goal_reaching_its_target_celebrates_on_the_goal_and_circle_pages(
    circle: Circle, alex_member: Membership, blake: User, blake_member: Membership
) -> None:
    goal = goal_create(
        membership=alex_member,
        title="Ten kind notes",
        due_on=date(2030, 1, 1),
        target=2,
        today=date(2026, 1, 1),
    )
    client = client_for(blake)
    url = reverse("circles:contribute", args=[circle.pk, goal.pk])
    assert client.post(url, {"amount": "0", "note": ""}).status_code == 400
    client.post(url, {"amount": "2", "note": "two notes"})
    goal_page = client.get(reverse("circles:goal", args=[circle.pk, goal.pk])).content.decode()
    assert "We did it!" in goal_page
    circle_page = client.get(reverse("circles:detail", args=[circle.pk])).content.decode()
    assert "We reached our goal" in circle_page


def test_rsvp_to_a_past_occurrence_is_refused_on_the_page(
    circle: Circle, facilitator: Membership, alex_member: Membership, alex: User
) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=UTC), tick=False) as traveller:
        meeting = meeting_create(
            membership=facilitator,
            title="Weekly",
            start_date=date(2026, 3, 19),
            start_time=time(19, 0),
            time_zone="Europe/Berlin",
            duration_minutes=60,
            rrule="FREQ=WEEKLY",
            location="",
            agenda="",
        )
        traveller.move_to(datetime(2026, 3, 20, tzinfo=UTC))
        client = client_for(alex)
        response = client.post(
            reverse("circles:rsvp", args=[circle.pk, meeting.pk]),
            {"occurrence": "2026-03-19T18:00:00+00:00", "answer": "yes"},
            follow=True,
        )
        assert "already started" in response.content.decode()
        page = client.get(reverse("circles:meeting", args=[circle.pk, meeting.pk])).content.decode()
        # Alex lives in Berlin: the next meeting shows at 19:00 local time.
        assert "Thursday 26 March 2026, 19:00" in page


def test_a_meeting_form_refuses_a_too_frequent_rule(
    circle: Circle, facilitator: Membership, dana: User
) -> None:
    response = client_for(dana).post(
        reverse("circles:meeting_new", args=[circle.pk]),
        {
            "title": "Daily",
            "start_date": "2030-01-01",
            "start_time": "09:00",
            "time_zone": "Europe/Berlin",
            "duration_minutes": "60",
            "repeat": "custom",
            "rrule": "FREQ=DAILY;BYHOUR=9,18",
            "location": "",
            "agenda": "",
        },
    )
    assert response.status_code == 400
    assert "choose the time in the time field" in response.content.decode()


def test_the_calendar_link_is_shown_once_and_the_feed_parses(
    circle: Circle, facilitator: Membership, dana: User
) -> None:
    from icalendar import Calendar

    client = client_for(dana)
    client.post(reverse("circles:calendar"))
    page = client.get(reverse("circles:calendar")).content.decode()
    link = re.search(r"http://testserver(/circles/calendar/[^\"]+\.ics)", page)
    assert link is not None
    assert link.group(1) not in client.get(reverse("circles:calendar")).content.decode()
    response = client_for(None).get(link.group(1))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(response.content).get("version") == "2.0"
    assert client_for(None).get("/circles/calendar/wrong.ics").status_code == 404


def _fill_thread(circle: Circle, author: Membership, others: list[Membership], n: int) -> Thread:
    thread = thread_create(membership=author, title="Many", body="Lots", content_note="")
    for i in range(n):
        who = others[i % len(others)]
        reply = Reply(
            thread=thread,
            space=circle.space,
            author=who,
            body=f"reply {i}",
            content_note="cn" if i % 3 == 0 else "",
            status=PostStatus.PUBLISHED,
        )
        reply.save()
        Reaction.objects.create(thread=thread, reply=reply, member=who, kind="hear")
    return thread


# Person (the session is read through the cache), membership+circle, unread count; then the page's
# own reads (the thread page includes two for the moderation hooks: hidden posts and blocked
# members, and one for whether the who-sees-what notice above the reply form was read; the reactions
# of the thread and the replies shown are counted in one).
THREAD_QUERIES = 10
# Dana facilitates, so her session has passed two-step login: django-otp reads her device.
# One read is for the live rounds open in the circle's meetings, one counts what waits for her
# approval, and each conversation's reactions are counted within the conversations' read.
DETAIL_QUERIES = 10


@pytest.mark.parametrize("replies", [5, 50])
def test_a_thread_keeps_a_fixed_number_of_queries(
    circle: Circle,
    alex_member: Membership,
    blake_member: Membership,
    alex: User,
    replies: int,
    django_assert_num_queries: Any,
) -> None:
    thread = _fill_thread(circle, alex_member, [alex_member, blake_member], replies)
    client = client_for(alex)
    url = reverse("circles:thread", args=[circle.pk, thread.pk])
    client.get(url)  # warm the key cache and the session
    with django_assert_num_queries(THREAD_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert "reply 0" in response.content.decode()


@pytest.mark.parametrize("threads", [3, 30])
def test_the_circle_page_keeps_a_fixed_number_of_queries(
    circle: Circle,
    facilitator: Membership,
    alex_member: Membership,
    dana: User,
    threads: int,
    django_assert_num_queries: Any,
) -> None:
    for i in range(threads):
        thread_create(membership=alex_member, title=f"t{i}", body="b", content_note="")
        goal_create(
            membership=alex_member,
            title=f"g{i}",
            due_on=date(2030, 1, 1),
            target=3,
            today=date(2026, 1, 1),
        ) if i < 3 else None
    meeting_create(
        membership=facilitator,
        title="Weekly",
        start_date=date(2030, 1, 3),
        start_time=time(19, 0),
        time_zone="Europe/Berlin",
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        location="",
        agenda="",
    )
    client = client_for(dana)
    url = reverse("circles:detail", args=[circle.pk])
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_an_invitation_link_is_shown_once(
    circle: Circle, facilitator: Membership, dana: User
) -> None:
    client = client_for(dana)
    response = client.post(reverse("circles:invite", args=[circle.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "/join/" in page
    assert "/join/" not in client.get(response["Location"]).content.decode()
    invitation = CircleInvitation.objects.get()
    assert invitation.token_hash not in page


def test_the_owner_makes_a_member_a_facilitator_on_the_members_page(
    circle: Circle, alex_member: Membership, dana: User, alex: User
) -> None:
    url = reverse("circles:role", args=[circle.pk, alex_member.pk])
    refused = client_for(alex).post(url, {"role": "facilitator"}, follow=True)
    assert "Only the circle&#x27;s owner can change roles." in refused.content.decode()
    page = client_for(dana).get(reverse("circles:members", args=[circle.pk])).content.decode()
    assert "Make Harbour a facilitator" in page
    client_for(dana).post(url, {"role": "facilitator"})
    alex_member.refresh_from_db()
    assert alex_member.is_facilitator
    assert client_for(alex).get(reverse("circles:queue", args=[circle.pk])).status_code == 200


def test_asking_to_join_and_being_welcomed_by_a_facilitator(
    circle: Circle, facilitator: Membership, casey: User, dana: User
) -> None:
    url = reverse("circles:request", args=[circle.pk])
    client = client_for(casey)
    page = client.get(url).content.decode()
    assert "Tuesday circle" in page
    assert "grief" not in page  # the purpose is for members
    taken = client.post(url, {"pseudonym": "LANTERN"})
    assert taken.status_code == 400
    assert "already uses the name" in taken.content.decode()
    assert client.post(url, {"pseudonym": "Pebble"}).status_code == 302
    request = JoinRequest.objects.get()
    client_for(dana).post(
        reverse("circles:request_decide", args=[circle.pk, request.pk]), {"decision": "approve"}
    )
    detail = client.get(reverse("circles:detail", args=[circle.pk])).content.decode()
    assert "Please read and accept them" in detail
    assert client.get(url).status_code == 302  # a member goes to the circle
