"""Moderation's export and erasure handlers, and the access records of facilitators."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.circles.models import Circle, Membership, Thread
from confide.circles.services.posts import reply_create, thread_create
from confide.moderation.models import (
    Block,
    HiddenPost,
    MemberWarning,
    Report,
    Standing,
    WarningPreset,
)
from confide.moderation.privacy import moderation_erase, moderation_export
from confide.moderation.services import (
    Decision,
    Restriction,
    block_set,
    presets_ensure,
    report_create,
    report_resolve,
)
from confide.moderation.tests.factories import report
from confide.privacy.accesslog import access_kind_label, access_records_for
from confide.privacy.models import AccessRecord
from confide.privacy.registry import privacy_handlers
from confide.privacy.tests.schema import SCHEMA_PATH, validate
from tests.personas import client_for

pytestmark = pytest.mark.django_db
NOTE = "canary-report-note-4b2e"


@pytest.fixture
def resolved(
    circle: Circle,
    facilitator: Membership,
    thread: Thread,
    alex_member: Membership,
    blake_member: Membership,
) -> Report:
    """Blake reported Alex's thread; Dana hid it, put Alex on probation and warned them."""
    made = report_create(
        membership=blake_member, thread=thread, reply=None, reason="harassment", note=NOTE
    )

    presets_ensure(circle=circle)
    preset = WarningPreset.objects.filter(circle=circle).first()
    decision = Decision(hide=True, warning=preset, restriction=Restriction.PROBATION)
    report_resolve(facilitator=facilitator, report=made, decision=decision)
    block_set(membership=alex_member, target=blake_member)
    made.refresh_from_db()
    return made


def test_moderation_registers_its_handler_and_access_kind() -> None:
    handler = next(h for h in privacy_handlers() if h.app == "moderation")
    assert handler.export is moderation_export
    assert handler.erase is moderation_erase
    assert {Report, MemberWarning, Standing, Block} <= set(handler.models)
    assert str(access_kind_label("moderation.report")) == "a report about something you wrote"


def test_the_reporter_exports_their_report_and_its_outcome_without_names(
    resolved: Report, blake: User, alex: User, dana: User
) -> None:
    data = moderation_export(blake)
    dumped = json.dumps(data)
    (made,) = data["reports_made"]
    assert made["note"] == NOTE
    assert made["reason"] == "harassment"
    assert made["outcome"] == "hidden"
    assert made["post_by"] == "Harbour"  # the pseudonym, never the account
    assert made["resolved_at"] is not None
    for other in (alex, dana):
        assert other.email not in dumped
        assert other.display_name not in dumped
    assert data["warnings_received"] == []


def test_the_warned_member_exports_warnings_standing_and_blocks(
    resolved: Report, alex: User, blake: User
) -> None:
    data = moderation_export(alex)
    dumped = json.dumps(data)
    assert len(data["warnings_received"]) == 1
    assert data["warnings_received"][0]["text"] == MemberWarning.objects.get().text
    assert data["standing"][0]["probation"] is True
    assert [b["blocked"] for b in data["blocks"]] == ["Willow"]
    assert data["reports_made"] == []
    assert NOTE not in dumped  # the report about them is not theirs
    assert blake.email not in dumped and blake.display_name not in dumped


def test_erasing_the_reporter_keeps_the_report_anonymised(
    resolved: Report, blake: User, blake_member: Membership
) -> None:
    moderation_erase(blake)
    kept = Report.objects.get(pk=resolved.pk)
    assert kept.note == ""
    assert (kept.reason, kept.outcome) == ("harassment", "hidden")
    assert kept.resolved_at is not None


def test_erasing_the_warned_member_removes_warnings_standing_and_blocks(
    resolved: Report, alex: User, blake: User, blake_member: Membership
) -> None:
    block_set(membership=blake_member, target=Membership.objects.get(user=alex))
    moderation_erase(alex)
    assert not MemberWarning.objects.exists()
    assert not Standing.objects.exists()
    assert list(Block.objects.values_list("blocker", flat=True)) == [blake_member.pk]  # Blake's
    assert Report.objects.get(pk=resolved.pk).note == NOTE  # what Blake wrote stays


def test_erasing_a_facilitator_leaves_their_actions_done_by_a_facilitator(
    resolved: Report, dana: User
) -> None:
    moderation_erase(dana)
    assert Report.objects.get(pk=resolved.pk).resolved_by is None
    assert HiddenPost.objects.get().hidden_by is None


# --- the access log -------------------------------------------------------------------------


def _queue(circle: Circle) -> str:
    return reverse("moderation:queue", args=[circle.pk])


def test_opening_the_queue_records_one_access_per_report_shown(
    circle: Circle,
    facilitator: Membership,
    thread: Thread,
    alex_member: Membership,
    blake_member: Membership,
    alex: User,
    blake: User,
    dana: User,
) -> None:
    about_thread = report(blake_member, thread)
    reply = reply_create(membership=blake_member, thread=thread, body="Mine", content_note="")
    about_reply = report(alex_member, thread, reply=reply)
    own = thread_create(membership=facilitator, title="Dana's", body="x", content_note="")
    report(alex_member, own)  # about the facilitator's own post: no record

    assert client_for(dana).get(_queue(circle)).status_code == 200

    (alex_record,) = access_records_for(subject=alex)
    assert (alex_record.actor, alex_record.role) == (dana, AccessRecord.Role.FACILITATOR)
    assert (alex_record.kind, alex_record.object_ref) == ("moderation.report", str(about_thread.pk))
    (blake_record,) = access_records_for(subject=blake)
    assert blake_record.object_ref == str(about_reply.pk)
    assert not access_records_for(subject=dana).exists()
    # Each opening is recorded.
    client_for(dana).get(_queue(circle))
    assert access_records_for(subject=alex).count() == 2


def test_the_queue_with_no_reports_and_refused_views_record_nothing(
    circle: Circle, facilitator: Membership, thread: Thread, blake_member: Membership, dana: User
) -> None:
    assert client_for(dana).get(_queue(circle)).status_code == 200
    assert not AccessRecord.objects.exists()
    report(blake_member, thread)
    assert client_for(blake_member.user).get(_queue(circle)).status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_failed_decision_shows_the_queue_again_and_records_it(
    circle: Circle, facilitator: Membership, thread: Thread, blake_member: Membership, alex: User
) -> None:
    made = report(blake_member, thread)
    url = reverse("moderation:decide", args=[circle.pk, made.pk])
    response = client_for(facilitator.user).post(url, {f"{made.pk}-restriction": "mute"})
    assert response.status_code == 400
    assert access_records_for(subject=alex).count() == 1


def _section_schema(app: str) -> dict[str, Any]:
    """The app's section in docs/export-schema.json."""
    schema = json.loads(Path(SCHEMA_PATH).read_text())
    section: dict[str, Any] = schema["properties"]["sections"]["properties"][app]
    return section


def test_the_exports_follow_the_documented_schema(
    resolved: Report, alex: User, blake: User
) -> None:
    for person in (alex, blake):
        assert validate(moderation_export(person), _section_schema("moderation")) == []
