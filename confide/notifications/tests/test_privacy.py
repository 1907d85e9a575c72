"""The notifications export and erasure handlers (see confide/notifications/privacy.py)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from confide.accounts.models import User
from confide.notifications.models import Notification, NotificationPreference, QuietHours
from confide.notifications.privacy import notifications_erase, notifications_export
from confide.notifications.services import notification_mark_read, notify, preferences_update
from confide.privacy.fields import EncryptedTextField
from confide.privacy.registry import privacy_handlers
from confide.privacy.tests.schema import SCHEMA_PATH, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(alex: User, blake: User) -> Notification:
    preferences_update(
        user=alex,
        channels={"partner_checkin": "email", "circle_reaction": "in_app"},
        quiet_start=datetime.time(21, 30),
        quiet_end=datetime.time(6, 0),
        quiet_enabled=True,
    )
    preferences_update(
        user=blake,
        channels={"reminder": "off"},
        quiet_start=None,
        quiet_end=None,
        quiet_enabled=False,
    )
    first = notify(
        user=alex,
        kind="partner_checkin",
        event_key="checkin:1",
        title="Blake shared a check-in",
        url="/a/",
    )
    notify(
        user=alex,
        kind="circle_reply",
        event_key="circle_reply:2",
        title="Willow replied to your post",
        url="/b/",
    )
    notify(
        user=blake,
        kind="partner_checkin",
        event_key="checkin:3",
        title="Alex shared a check-in",
        url="/c/",
    )
    assert first is not None
    return notification_mark_read(user=alex, notification=first)


def test_notifications_registers_its_handler() -> None:
    handler = next(h for h in privacy_handlers() if h.app == "notifications")
    assert (handler.export, handler.erase) == (notifications_export, notifications_erase)
    assert set(handler.models) == {Notification, NotificationPreference, QuietHours}


def test_the_export_lists_alex_s_notifications_choices_and_quiet_hours(
    told: Notification, alex: User
) -> None:
    data = notifications_export(alex)
    assert json.loads(json.dumps(data)) == data
    assert [(n["kind"], n["title"], n["url"]) for n in data["notifications"]] == [
        ("partner_checkin", "Blake shared a check-in", "/a/"),
        ("circle_reply", "Willow replied to your post", "/b/"),
    ]
    assert data["notifications"][0]["read_at"] is not None
    assert data["notifications"][1]["read_at"] is None
    assert data["preferences"] == {"circle_reaction": "in_app", "partner_checkin": "email"}
    assert data["quiet_hours"] == {"enabled": True, "start": "21:30", "end": "06:00"}
    assert "Alex shared a check-in" not in json.dumps(data)  # Blake's


def test_someone_with_nothing_exports_empty_lists(casey: User) -> None:
    assert notifications_export(casey) == {
        "notifications": [],
        "preferences": {},
        "quiet_hours": None,
    }


def test_erasure_deletes_alex_s_rows_and_keeps_blake_s(
    told: Notification, alex: User, blake: User
) -> None:
    notifications_erase(alex)
    for model in (Notification, NotificationPreference, QuietHours):
        assert not model.objects.filter(user=alex).exists()
        assert model.objects.filter(user=blake).exists()


def test_notifications_hold_no_sealed_text() -> None:
    """Titles are the project's own sentences, so nothing here needs a data key."""
    for model in (Notification, NotificationPreference, QuietHours):
        assert not any(isinstance(f, EncryptedTextField) for f in model._meta.fields)


def _section_schema(app: str) -> dict[str, Any]:
    """The app's section in docs/export-schema.json."""
    schema = json.loads(Path(SCHEMA_PATH).read_text())
    section: dict[str, Any] = schema["properties"]["sections"]["properties"][app]
    return section


def test_the_export_follows_the_documented_schema(told: Notification, alex: User) -> None:
    assert validate(notifications_export(alex), _section_schema("notifications")) == []
