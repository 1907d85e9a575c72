"""Exports: asked for on the privacy page, built by the task, downloaded once, then gone."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.privacy import exports
from confide.privacy.exports import export_document, export_path, export_token
from confide.privacy.models import AccessRecord, Export
from confide.privacy.tests.richdata import record_access, rich_pair
from confide.privacy.tests.schema import SCHEMA_PATH, validate
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _zip(data: bytes) -> tuple[dict[str, Any], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["confide-export.html", "confide-export.json"]
        document = json.loads(archive.read("confide-export.json"))
        html = archive.read("confide-export.html").decode()
    return document, html


def _ask(client: Any) -> Export:
    response = client.post(reverse("privacy:export"))
    assert response.status_code == 302
    return Export.objects.latest("created_at")


def test_the_privacy_page_is_linked_from_the_account_page(alex: User) -> None:
    page = client_for(alex).get(reverse("accounts:settings"))
    assert reverse("privacy:page") in page.content.decode()


def test_an_export_is_built_downloaded_once_and_its_file_deleted(
    alex: User, blake: User, pair: Pair
) -> None:
    rich_pair(pair, alex, blake)
    client = client_for(alex)
    export = _ask(client)
    assert export.state == Export.State.READY
    path = export_path(export)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    # Only a hash of the link's token is stored.
    token = export_token(export)
    assert token not in export.token_hash
    link = reverse("privacy:download", args=[export.pk, token])
    page = client.get(reverse("privacy:page")).content.decode()
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    document, html = _zip(response.content)
    assert document["person"]["email"] == alex.email
    assert not path.exists()
    export.refresh_from_db()
    assert export.state == Export.State.DOWNLOADED
    again = client.get(link)
    assert again.status_code == 410
    assert "used already or has expired" in again.content.decode()


def test_a_second_export_is_refused_while_one_is_being_prepared(alex: User) -> None:
    running = Export.objects.create(user=alex)
    client = client_for(alex)
    response = client.post(reverse("privacy:export"), follow=True)
    assert "already being prepared" in response.content.decode()
    assert list(Export.objects.filter(user=alex)) == [running]
    assert "being prepared" in client.get(reverse("privacy:page")).content.decode()


def test_an_export_lost_for_an_hour_no_longer_blocks_a_new_one(alex: User) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=2), tick=False):
        lost = Export.objects.create(user=alex)
    export = _ask(client_for(alex))
    assert export != lost
    lost.refresh_from_db()
    assert (lost.state, export.state) == (Export.State.FAILED, Export.State.READY)


def test_an_expired_link_is_refused_and_its_file_deleted(alex: User) -> None:
    export = _ask(client_for(alex))
    link = reverse("privacy:download", args=[export.pk, export_token(export)])
    with time_machine.travel(timezone.now() + exports.LIFETIME + timedelta(minutes=1)):
        # Logged in again: the session of a day ago has ended.
        assert client_for(alex).get(link).status_code == 410
    assert not export_path(export).exists()
    export.refresh_from_db()
    assert export.state == Export.State.EXPIRED


def test_the_sweep_deletes_expired_files(alex: User) -> None:
    export = _ask(client_for(alex))
    assert exports.exports_expire(now=timezone.now()) == 0
    assert exports.exports_expire(now=timezone.now() + exports.LIFETIME) == 1
    assert not export_path(export).exists()


@pytest.mark.parametrize("token", ["0" * 64, "not-a-token", ""])
def test_a_forged_token_is_refused_and_the_file_kept(alex: User, token: str) -> None:
    client = client_for(alex)
    export = _ask(client)
    if token:
        assert client.get(reverse("privacy:download", args=[export.pk, token])).status_code == 410
    assert export_path(export).exists()
    export.refresh_from_db()
    assert export.state == Export.State.READY


def test_another_persons_link_does_not_work_for_them(alex: User, casey: User) -> None:
    export = _ask(client_for(alex))
    link = reverse("privacy:download", args=[export.pk, export_token(export)])
    assert client_for(casey).get(link).status_code == 410
    assert export_path(export).exists()


def test_the_export_validates_against_the_schema_in_the_repository(
    alex: User, blake: User, pair: Pair, operator: User
) -> None:
    rich_pair(pair, alex, blake)
    record_access(subject=alex, actor=operator, role=AccessRecord.Role.OPERATOR)
    document = json.loads(json.dumps(export_document(user=alex)))
    schema = json.loads(Path(SCHEMA_PATH).read_text())
    assert validate(document, schema) == []


def test_the_validator_notices_a_broken_export(alex: User) -> None:
    document = json.loads(json.dumps(export_document(user=alex)))
    del document["person"]
    document["schema_version"] = "one"
    schema = json.loads(Path(SCHEMA_PATH).read_text())
    errors = validate(document, schema)
    assert any("person" in error for error in errors)
    assert any("schema_version" in error for error in errors)


def test_the_export_holds_what_the_person_wrote_or_received_and_nothing_else(
    alex: User, blake: User, pair: Pair
) -> None:
    a, b = rich_pair(pair, alex, blake)
    text = json.dumps(export_document(user=alex), ensure_ascii=False)
    for where, canary in a.canaries.items():
        assert canary in text, where
    # Received: the partner's shared check-in, their reply, their turn, their intention.
    for where in ("shared-checkin", "reply", "step", "intention", "topic", "appreciation", "plan"):
        assert b.canaries[where] in text, where
    # Never: the partner's private entries, their unrevealed answer, their account name.
    for where in ("private-checkin", "unrevealed-answer", "withheld-topic", "idea", "lapse"):
        assert b.canaries[where] not in text, where
    assert b.canaries["safety-plan"] not in text
    assert blake.email not in text
    assert "Blake" not in text


def test_the_html_copy_is_escaped_and_self_contained(alex: User, blake: User, pair: Pair) -> None:
    a, _b = rich_pair(pair, alex, blake)
    checkin = a.private_checkin
    assert checkin is not None
    checkin.note = '<script>alert("x")</script><img src="https://example.com/x.png">'
    checkin.save()
    _document, html = _zip(exports.export_zip_bytes(export_document(user=alex)))
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'src="' not in html
    assert "<link" not in html
    assert a.canaries["shared-checkin"] in html


def test_the_access_log_shows_who_in_which_role_what_and_when(
    alex: User, dana: User, eli: User, operator: User
) -> None:
    record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    record_access(subject=alex, actor=dana, role=AccessRecord.Role.FACILITATOR)
    record_access(subject=alex, actor=operator, role=AccessRecord.Role.OPERATOR)
    page = client_for(alex).get(reverse("privacy:page")).content.decode()
    assert "Eli (counsellor)" in page
    assert "Operator (operator)" in page
    assert "A facilitator" in page
    assert "Dana" not in page
    assert "a test opening" in page


def test_the_access_log_is_paginated_with_a_pinned_query_count(
    alex: User, eli: User, django_assert_max_num_queries: Any
) -> None:
    # One opening a day: openings on one day by the same person are one line (tested below).
    start = timezone.now() - timedelta(days=50)
    for day in range(45):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    client = client_for(alex)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("privacy:page"), {"page": 3}).content.decode()
    assert "Page 3 of 3" in page
    assert page.count("Eli (counsellor)") == 5


def test_repeated_openings_on_one_day_are_one_line_that_counts_them(
    alex: User, dana: User, eli: User
) -> None:
    with time_machine.travel("2026-01-15 09:15:00+00:00", tick=False) as traveller:
        for _ in range(8):
            record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
            traveller.shift(timedelta(minutes=1))
        record_access(subject=alex, actor=dana, role=AccessRecord.Role.FACILITATOR)
        record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    page = client_for(alex).get(reverse("privacy:page")).content.decode()
    # Newest first: Eli once, the facilitator, then Eli's run of eight (10:15 to 10:22 Berlin).
    assert page.count("Eli (counsellor)") == 2
    assert "A facilitator" in page
    assert "to 10:22 (8 times)" in page
    assert AccessRecord.objects.filter(subject=alex).count() == 10  # the log keeps each one


def test_one_persons_access_log_is_not_shown_to_another(alex: User, casey: User, eli: User) -> None:
    record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    assert "Eli (counsellor)" not in client_for(casey).get(reverse("privacy:page")).content.decode()


SECTION_CANARIES = {
    "pairs": ("private-checkin", "shared-checkin", "unrevealed-answer", "reply"),
    "dialogue": ("withheld-topic", "topic", "step", "held-turn"),
    "rhythm": ("appreciation", "idea", "lapse"),
    "together": ("plan",),
    "safety": ("safety-plan",),
}


@pytest.mark.parametrize("app", sorted(SECTION_CANARIES))
def test_each_apps_section_holds_what_the_person_wrote_there(
    app: str, alex: User, blake: User, pair: Pair
) -> None:
    a, _b = rich_pair(pair, alex, blake)
    section = json.dumps(export_document(user=alex)["sections"][app], ensure_ascii=False)
    for where in SECTION_CANARIES[app]:
        assert a.canaries[where] in section, where


def test_the_small_sections_say_what_they_hold(
    alex: User, blake: User, pair: Pair, eli: User
) -> None:
    rich_pair(pair, alex, blake)
    record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    client_for(alex)  # a session, recorded at login
    sections = export_document(user=alex)["sections"]
    assert sections["reminders"]["reminders"][0]["at"] == "08:30"
    assert sections["reminders"]["reminders"][0]["on"] is True
    assert sections["accounts"]["two_step_login"] is False
    assert sections["privacy"]["access_log"][0]["who"] == "Eli (counsellor)"
    assert sections["rhythm"]["bids_answered"][0]["kind"] == "turned_toward"
    assert sections["together"]["time_together"][0]["minutes"] == 60


def test_the_access_log_shows_times_in_the_persons_time_zone(alex: User, eli: User) -> None:
    # Alex lives in Europe/Berlin: 09:15 UTC in winter is 10:15 there.
    with time_machine.travel("2026-01-15 09:15:00+00:00", tick=False):
        record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    page = client_for(alex).get(reverse("privacy:page")).content.decode()
    assert 'datetime="2026-01-15T10:15:00+01:00"' in page
