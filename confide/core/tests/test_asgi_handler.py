from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_finished
from django.http import FileResponse

from confide.core.asgi_handler import SyncChainASGIHandler


def _scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


async def _get(app: Any, path: str) -> int:
    statuses: list[int] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # no disconnect while the answer is sent: never set
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(_scope(path), receive, send)
    return statuses[0]


def _threads_of_two_requests(app: Any) -> list[str]:
    seen: list[str] = []

    def record(**_kwargs: Any) -> None:
        seen.append(threading.current_thread().name)

    request_finished.connect(record)
    try:

        async def both() -> None:
            assert await _get(app, "/healthz") == 200
            assert await _get(app, "/healthz") == 200

        asyncio.run(both())
    finally:
        request_finished.disconnect(record)
    return seen


@pytest.mark.django_db(transaction=True)
def test_pages_run_in_one_long_lived_thread_not_a_new_one_each() -> None:
    """Django's own handler starts a thread per request (and so a database connection per
    request); Confide's runs every page's sync code in the same thread."""
    stock = _threads_of_two_requests(ASGIHandler())
    ours = _threads_of_two_requests(SyncChainASGIHandler())
    assert len(stock) == len(ours) == 2
    assert stock[0] != stock[1]  # the difference this handler exists for
    assert ours[0] == ours[1]


@pytest.mark.django_db(transaction=True)
def test_the_whole_middleware_chain_still_runs() -> None:
    async def headers() -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # the client never leaves on its own: never set
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                found.update({name.lower(): value for name, value in message["headers"]})

        await SyncChainASGIHandler()(_scope("/"), receive, send)
        return found

    found = asyncio.run(headers())
    assert b"permissions-policy" in found  # Confide's own middleware
    assert b"content-security-policy" in found  # Django's


@pytest.mark.django_db(transaction=True)
def test_a_file_asked_for_by_a_client_that_went_away_is_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A browser drops a favicon request as it navigates away: the static file's handle is
    closed all the same, not left for garbage collection (ResourceWarning)."""
    made: list[FileResponse] = []
    original_init = FileResponse.__init__

    def recording_init(self: FileResponse, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(FileResponse, "__init__", recording_init)
    started, release = threading.Event(), threading.Event()

    class HeldHandler(SyncChainASGIHandler):
        def get_response(self, request: Any) -> Any:
            if request.path.endswith("icon.svg"):
                started.set()
                release.wait(10)
            return super().get_response(request)

    handler = HeldHandler()

    async def run() -> None:
        loop = asyncio.get_running_loop()
        calls = 0

        async def receive() -> dict[str, Any]:
            nonlocal calls
            calls += 1
            if calls == 1:
                return {"type": "http.request", "body": b"", "more_body": False}
            await loop.run_in_executor(None, started.wait, 10)
            release.set()  # the view ends as the client leaves
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            return None

        await handler(_scope("/static/core/icon.svg"), receive, send)
        release.set()
        # The next request runs in the same thread, so after the held one has finished.
        assert await _get(handler, "/healthz") == 200

    asyncio.run(run())
    assert len(made) == 1
    assert made[0].closed


@pytest.mark.django_db  # closing a response sends request_finished, which tidies connections
def test_a_response_made_after_its_request_ended_is_closed_at_once() -> None:
    """asgiref waits for a cancelled page's thread before the request ends, so today a page
    cannot finish after its request; should that change, what it made is closed all the same."""
    from django.http import HttpResponse

    from confide.core.asgi_handler import _Made

    made = _Made()
    early, late = HttpResponse(b"early"), HttpResponse(b"late")
    made.add(early)
    assert made.end() == [early]  # left for the handler to close
    made.add(late)
    assert late.closed and not early.closed
