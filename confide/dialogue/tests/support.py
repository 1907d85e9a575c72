"""Helpers for the dialogue's socket tests: a session cookie, a connected communicator."""

from __future__ import annotations

import json
from typing import Any

from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.test import Client

from confide.accounts.models import User

ORIGIN = "http://127.0.0.1"
TIMEOUT = 5


class WebsocketCommunicator(ApplicationCommunicator):
    """Channels' WebsocketCommunicator, trimmed: `channels.testing` imports daphne, which
    Confide does not install (it serves with uvicorn)."""

    def __init__(self, application: Any, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        scope = {"type": "websocket", "path": path, "query_string": b"", "headers": headers}
        super().__init__(application, scope)

    async def connect(self, timeout: float = TIMEOUT) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, response.get("subprotocol")

    async def send_to(
        self, *, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        if text_data is not None:
            await self.send_input({"type": "websocket.receive", "text": text_data})
        else:
            await self.send_input({"type": "websocket.receive", "bytes": bytes_data})

    async def send_json_to(self, data: Any) -> None:
        await self.send_to(text_data=json.dumps(data))

    async def receive_json_from(self, timeout: float = TIMEOUT) -> Any:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = TIMEOUT) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def cookie_for(user: User) -> str:
    """A real login session in the database, as the browser's cookie header would carry it."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def communicator(
    session_id: object, *, cookie: str | None, origin: str | None = ORIGIN
) -> WebsocketCommunicator:
    from confide.asgi import application

    headers = [(b"host", b"127.0.0.1")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/dialogue/{session_id}/", headers=headers)


async def open_socket(session_id: object, user: User, *, last_seen: int) -> WebsocketCommunicator:
    from channels.db import database_sync_to_async

    cookie = await database_sync_to_async(cookie_for)(user)
    socket = communicator(session_id, cookie=cookie)
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected
    await socket.send_json_to({"type": "resume", "last_seen": last_seen})
    return socket


async def receive(socket: WebsocketCommunicator) -> dict[str, Any]:
    message: dict[str, Any] = await socket.receive_json_from(timeout=TIMEOUT)
    return message
