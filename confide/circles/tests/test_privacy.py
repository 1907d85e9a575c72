"""The circles export and erasure handlers (see confide/circles/privacy.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import models

from confide.accounts.models import User
from confide.circles.models import (
    CalendarFeed,
    Contribution,
    Goal,
    Membership,
    Reaction,
    Reply,
    Rsvp,
    Thread,
)
from confide.circles.privacy import PERSONAL_MODELS, circles_erase, circles_export
from confide.circles.services.goals import contribution_add, goal_create
from confide.circles.services.meetings import calendar_feed_reset, meeting_create, rsvp_set
from confide.circles.services.membership import profile_update, role_set
from confide.circles.services.posts import reaction_set, reply_create, thread_create
from confide.core.models import AuditEntry
from confide.moderation.models import HiddenPost, Report
from confide.moderation.privacy import PERSONAL_MODELS as MODERATION_MODELS
from confide.moderation.services import report_create
from confide.privacy.registry import privacy_handlers
from confide.privacy.tests.schema import SCHEMA_PATH, validate

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
FIRST = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)  # 19:00 in Berlin

ALEX = {
    "title": "canary-alex-title-1a",
    "body": "canary-alex-body-2b",
    "alone": "canary-alex-unanswered-3c",
    "reply": "canary-alex-reply-4d",
    "about": "canary-alex-about-5e",
    "note": "canary-alex-contribution-6f",
    "pronouns": "canary-alex-pronouns-7g",
}
BLAKE_REPLY = "canary-blake-reply-7a"
BLAKE_HIDDEN = "canary-blake-hidden-8b"
BLAKE_ABOUT = "canary-blake-about-9c"
BLAKE_THREAD = "canary-blake-thread-0d"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(
    facilitator: Membership, alex_member: Membership, blake_member: Membership
) -> dict[str, Any]:
    """Alex writes, reacts, contributes and answers a meeting; Blake and Dana write too."""
    alex, blake = alex_member, blake_member
    profile_update(
        membership=alex,
        pseudonym="Harbour",
        about=ALEX["about"],
        pronouns=ALEX["pronouns"],
        background="",
        brings="",
    )
    profile_update(
        membership=blake,
        pseudonym="Willow",
        about=BLAKE_ABOUT,
        pronouns="",
        background="",
        brings="",
    )
    answered = thread_create(
        membership=alex, title=ALEX["title"], body=ALEX["body"], content_note=""
    )
    alone = thread_create(membership=alex, title="Quiet", body=ALEX["alone"], content_note="")
    theirs = thread_create(membership=blake, title="Blake's", body=BLAKE_THREAD, content_note="")
    blake_reply = reply_create(membership=blake, thread=answered, body=BLAKE_REPLY, content_note="")
    hidden = reply_create(membership=blake, thread=answered, body=BLAKE_HIDDEN, content_note="")
    HiddenPost.objects.create(
        circle_id=answered.circle_id, thread=answered, reply=hidden, hidden_by=facilitator
    )
    own_reply = reply_create(membership=alex, thread=theirs, body=ALEX["reply"], content_note="")
    reaction_set(membership=blake, thread=answered, reply=None, kind="hear", on=True)
    reaction_set(membership=facilitator, thread=answered, reply=None, kind="hear", on=True)
    reaction_set(membership=alex, thread=theirs, reply=None, kind="strength", on=True)
    reaction_set(membership=blake, thread=theirs, reply=own_reply, kind="thanks", on=True)
    goal = goal_create(
        membership=facilitator,
        title="Ten walks",
        due_on=date(2026, 4, 1),
        target=10,
        today=NOW.date(),
    )
    contribution_add(membership=alex, goal=goal, amount=3, note=ALEX["note"])
    contribution_add(membership=blake, goal=goal, amount=2, note="")
    meeting = meeting_create(
        membership=facilitator,
        title="Weekly circle",
        start_date=date(2026, 3, 19),
        start_time=time(19, 0),
        time_zone="Europe/Berlin",
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        location="",
        agenda="",
    )
    rsvp_set(membership=alex, meeting=meeting, occurrence=FIRST, answer="yes")
    rsvp_set(membership=blake, meeting=meeting, occurrence=FIRST, answer="maybe")
    calendar_feed_reset(user=alex.user)
    return {
        "answered": answered,
        "alone": alone,
        "theirs": theirs,
        "blake_reply": blake_reply,
        "hidden": hidden,
        "own_reply": own_reply,
        "goal": goal,
    }


def _all_text(model_list: tuple[type[models.Model], ...]) -> str:
    """Every stored value of every row, encrypted fields opened."""
    parts: list[str] = []
    for model in model_list:
        for row in model._default_manager.all():
            parts.extend(str(getattr(row, field.attname)) for field in row._meta.concrete_fields)
    return "\n".join(parts)


def test_circles_registers_its_handler() -> None:
    handler = next(h for h in privacy_handlers() if h.app == "circles")
    assert handler.export is circles_export
    assert handler.erase is circles_erase
    assert {Membership, Thread, Reply, Reaction, Contribution, Rsvp} <= set(handler.models)


def test_the_export_holds_what_alex_wrote_and_received(world: dict[str, Any], alex: User) -> None:
    data = circles_export(alex)
    assert json.loads(json.dumps(data)) == data  # JSON-able as it is
    (profile,) = data["profiles"]
    assert profile["pseudonym"] == "Harbour"
    assert profile["about"] == ALEX["about"]
    assert profile["pronouns"] == ALEX["pronouns"]
    assert profile["guidelines_accepted"]["version"] == 1
    threads = {t["id"]: t for t in data["threads"]}
    answered = threads[str(world["answered"].pk)]
    assert answered["title"] == ALEX["title"]
    assert answered["body"] == ALEX["body"]
    assert answered["reactions"] == {"hear": 2}
    assert [(r["from"], r["body"]) for r in answered["replies"]] == [("Willow", BLAKE_REPLY)]
    assert threads[str(world["alone"].pk)]["body"] == ALEX["alone"]
    (reply,) = data["replies"]
    assert reply["body"] == ALEX["reply"]
    assert reply["reactions"] == {"thanks": 1}
    assert [r["kind"] for r in data["reactions_given"]] == ["strength"]
    assert data["contributions"][0]["note"] == ALEX["note"]
    assert data["contributions"][0]["amount"] == 3
    assert [r["answer"] for r in data["rsvps"]] == ["yes"]
    assert data["calendar_feed"] is not None
    assert datetime.fromisoformat(answered["created_at"]) == NOW


def test_the_export_names_nobody_and_shows_nothing_hidden(
    world: dict[str, Any], alex: User, blake: User, dana: User, blake_member: Membership
) -> None:
    dumped = json.dumps(circles_export(alex))
    for other in (blake, dana):
        assert other.email not in dumped
        assert other.display_name not in dumped
    assert BLAKE_HIDDEN not in dumped  # a reply a facilitator hid
    assert BLAKE_ABOUT not in dumped  # another member's profile
    assert BLAKE_THREAD not in dumped  # a thread Alex only replied to
    assert str(blake_member.pk) not in dumped  # no handle on another member


def test_erasure_leaves_nothing_of_alex_and_keeps_what_others_wrote(
    world: dict[str, Any], alex: User, blake: User, alex_member: Membership
) -> None:
    before = _all_text(PERSONAL_MODELS)
    assert all(canary in before for canary in ALEX.values())

    circles_erase(alex)

    after = _all_text(PERSONAL_MODELS)
    for canary in (*ALEX.values(), "Harbour"):
        assert canary not in after
    # The thread Blake replied to stays, as a placeholder, with Blake's replies.
    answered = Thread.objects.get(pk=world["answered"].pk)
    assert answered.title == "Removed"
    assert Reply.objects.get(pk=world["blake_reply"].pk).body == BLAKE_REPLY
    assert not Reaction.objects.filter(thread=answered, reply__isnull=True).exists()
    assert not Thread.objects.filter(pk=world["alone"].pk).exists()
    # Alex's reply is gone and Blake's thread counts one reply less.
    assert not Reply.objects.filter(pk=world["own_reply"].pk).exists()
    assert Thread.objects.get(pk=world["theirs"].pk).reply_count == 0
    assert Thread.objects.get(pk=world["theirs"].pk).body == BLAKE_THREAD
    # The goal keeps Blake's contribution; its count drops by what Alex gave.
    assert Goal.objects.get(pk=world["goal"].pk).progress == 2
    assert list(Contribution.objects.values_list("member__user", flat=True)) == [blake.pk]
    assert list(Rsvp.objects.values_list("member__user", flat=True)) == [blake.pk]
    assert not CalendarFeed.objects.filter(user=alex).exists()
    assert not Reaction.objects.filter(member__user=alex).exists()
    # The membership stays only as an empty placeholder for the kept thread.
    placeholder = Membership.objects.get(pk=alex_member.pk)
    assert placeholder.left_at is not None
    assert placeholder.about == placeholder.pronouns == ""
    assert placeholder.role == "member"
    assert Membership.objects.get(user=blake).about == BLAKE_ABOUT


def test_a_member_with_nothing_kept_is_deleted_outright(
    facilitator: Membership, alex_member: Membership, blake_member: Membership, alex: User
) -> None:
    thread = thread_create(membership=alex_member, title="Hi", body="Only me", content_note="")
    reply_create(membership=alex_member, thread=thread, body="And me again", content_note="")
    circles_erase(alex)
    assert not Membership.objects.filter(user=alex).exists()
    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert Membership.objects.filter(pk=blake_member.pk).exists()


def test_a_report_alex_made_keeps_the_placeholder(
    facilitator: Membership, alex_member: Membership, blake_member: Membership, alex: User
) -> None:
    thread = thread_create(membership=blake_member, title="Hi", body="words", content_note="")
    report_create(
        membership=alex_member, thread=thread, reply=None, reason="spam", note="canary-note"
    )
    circles_erase(alex)
    report = Report.objects.get()
    assert report.reporter_id == alex_member.pk
    assert Membership.objects.get(pk=alex_member.pk).pseudonym != "Harbour"
    assert "Harbour" not in _all_text(PERSONAL_MODELS + MODERATION_MODELS)


def test_erasing_someone_with_nothing_in_circles_changes_nothing(
    world: dict[str, Any], casey: User
) -> None:
    before = _all_text(PERSONAL_MODELS)
    circles_erase(casey)
    assert circles_export(casey)["threads"] == []
    assert _all_text(PERSONAL_MODELS) == before


def test_an_erased_owner_hands_the_circle_to_its_longest_standing_facilitator(
    facilitator: Membership, alex_member: Membership, blake_member: Membership, dana: User
) -> None:
    role_set(membership=facilitator, target=blake_member, role="facilitator")
    circles_erase(dana)
    assert Membership.objects.get(pk=blake_member.pk).role == "owner"
    assert Membership.objects.get(pk=alex_member.pk).role == "member"
    assert not Membership.objects.filter(user=dana, role="owner").exists()
    assert AuditEntry.objects.filter(action="circles.member.role_changed").count() == 2


def _section_schema(app: str) -> dict[str, Any]:
    """The app's section in docs/export-schema.json."""
    schema = json.loads(Path(SCHEMA_PATH).read_text())
    section: dict[str, Any] = schema["properties"]["sections"]["properties"][app]
    return section


def test_the_export_follows_the_documented_schema(world: dict[str, Any], alex: User) -> None:
    assert validate(circles_export(alex), _section_schema("circles")) == []
