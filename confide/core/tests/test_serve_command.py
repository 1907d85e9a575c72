"""`confide serve` refuses several processes without a shared cache, and starts uvicorn with
what it was given otherwise (uvicorn itself is replaced: nothing listens)."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
from django.core.management import CommandError, call_command
from django.test import override_settings


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    return calls


@override_settings(REDIS_URL="")
def test_several_processes_without_redis_are_refused(started: list[dict[str, Any]]) -> None:
    with pytest.raises(CommandError, match="Several server processes need REDIS_URL"):
        call_command("serve", "--workers", "2")
    assert started == []


@pytest.mark.parametrize("workers", ["0", "-1"])
def test_fewer_than_one_process_is_refused(started: list[dict[str, Any]], workers: str) -> None:
    with pytest.raises(CommandError, match="--workers must be 1 or more"):
        call_command("serve", "--workers", workers)
    assert started == []


@override_settings(REDIS_URL="")
def test_one_process_without_redis_is_served(started: list[dict[str, Any]]) -> None:
    call_command("serve", "--workers", "1", "--port", "8123")
    assert [(c["workers"], c["port"]) for c in started] == [(1, 8123)]


@override_settings(REDIS_URL="redis://127.0.0.1:6379/0")
def test_several_processes_with_redis_are_served(started: list[dict[str, Any]]) -> None:
    call_command("serve", "--workers", "3")
    assert [c["workers"] for c in started] == [3]
