"""The health check tells a monitor whether Confide can reach its database."""

from __future__ import annotations

from typing import Any, NoReturn

import pytest
import time_machine
from django.db import OperationalError, connections
from django.test import Client

from confide.core.tasklease import heartbeat_beat

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": {"last_heartbeat_seconds": None},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_the_age_of_the_workers_last_heartbeat_and_nothing_about_it(
    client: Client,
) -> None:
    with time_machine.travel("2026-11-30 09:00:00Z", tick=False):
        heartbeat_beat(worker_id="w" * 32)
    with time_machine.travel("2026-11-30 09:00:42Z", tick=False):
        response = client.get("/healthz")

    assert response.json()["worker"] == {"last_heartbeat_seconds": 42.0}
    assert "w" * 32 not in response.content.decode()


def test_healthz_reports_503_naming_the_database_when_it_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise OperationalError("connection refused")

    # Patching the wrapper's class reaches the connection the view uses, whatever the backend.
    monkeypatch.setattr(type(connections["default"]), "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] != "ok"
    assert body["database"] == "unreachable"


def test_healthz_answers_only_get(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
