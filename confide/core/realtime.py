"""What every authenticated WebSocket shares: a per-person group, a per-login group, and
closing when the login that opened it ends.

Use `PersonSocket` as the base of a consumer that needs a signed-in person:

    class MyConsumer(PersonSocket):
        async def person_connected(self) -> bool:   # return False to refuse (closed, no reason)
            ...

On connect it refuses anonymous visitors, then joins the group `person_group(user.pk)` and the
group of its login session, `login_group(session_key)` (named by a hash of the key, never the
key itself). Sockets close with `LOGGED_OUT` (4401):
- when that session logs out (the `user_logged_out` receiver below), or is ended from another
  session's "sessions" page (`close_login_sockets`): only the sockets of that login;
- when the person's password changes (`close_person_sockets`): every socket of the person;
- when the session expires (idle or absolute limit) or disappears from the session store,
  noticed by a check every CONFIDE_SOCKET_SESSION_CHECK_SECONDS while the socket is open.
The receiver is registered when this module is imported (apps import it in `ready()`);
`dispatch_uid` keeps it registered once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from importlib import import_module
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from confide.core.middleware import LOGIN_AT_KEY

LOGGED_OUT = 4401


def person_group(user_id: object) -> str:
    return f"user.{user_id}"


def session_key_hash(session_key: str) -> str:
    """What Confide keeps of a session key: the key is a credential, its hash is not."""
    return hashlib.sha256(session_key.encode()).hexdigest()


def login_group(session_key: str) -> str:
    # Group names are at most 100 ASCII characters; the full hash fits.
    return f"login.{session_key_hash(session_key)}"


def session_is_open(session_key: str, user_id: object) -> bool:
    """Is this session still signed in as this person, within the idle and absolute limits?"""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    data = store.load()  # {} when the session expired or is gone
    if str(data.get(SESSION_KEY)) != str(user_id):
        return False
    started = data.get(LOGIN_AT_KEY)
    limit = settings.CONFIDE_SESSION_ABSOLUTE_SECONDS
    return started is None or time.time() - float(started) <= limit


class PersonSocket(AsyncJsonWebsocketConsumer):
    """A JSON socket for a signed-in person, closed when their login ends."""

    person_group_name: str | None = None
    login_group_name: str | None = None
    _session_watch: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        self.person_group_name = person_group(user.pk)
        await self.channel_layer.group_add(self.person_group_name, self.channel_name)
        session_key = getattr(self.scope.get("session"), "session_key", None)
        if session_key:
            self.login_group_name = login_group(session_key)
            await self.channel_layer.group_add(self.login_group_name, self.channel_name)
        if not await self.person_connected():
            await self._leave_groups()
            await self.close()
            return
        if session_key:
            self._session_watch = asyncio.create_task(self._watch_session(session_key, user.pk))

    async def person_connected(self) -> bool:
        """Authorise and accept; return False to refuse without saying why."""
        await self.accept()
        return True

    async def _watch_session(self, session_key: str, user_id: object) -> None:
        every = settings.CONFIDE_SOCKET_SESSION_CHECK_SECONDS
        while True:
            await asyncio.sleep(every)
            if not await database_sync_to_async(session_is_open)(session_key, user_id):
                await self.close(code=LOGGED_OUT)
                return

    async def _leave_groups(self) -> None:
        for name in (self.person_group_name, self.login_group_name):
            if name is not None:
                await self.channel_layer.group_discard(name, self.channel_name)
        self.person_group_name = self.login_group_name = None

    async def disconnect(self, code: int) -> None:
        if self._session_watch is not None:
            self._session_watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._session_watch
            self._session_watch = None
        await self._leave_groups()

    async def realtime_logout(self, event: dict[str, Any]) -> None:
        await self.close(code=LOGGED_OUT)


def _send_logout(group: str) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, {"type": "realtime.logout"})


def close_person_sockets(user_id: object) -> None:
    """Close every socket of this person, in every server process that shares the layer."""
    _send_logout(person_group(user_id))


def close_login_sockets(session_key_hash_: str) -> None:
    """Close the sockets opened by one login session, named by the hash of its key."""
    _send_logout(f"login.{session_key_hash_}")


@receiver(user_logged_out, dispatch_uid="confide.core.realtime.logout")
def _close_sockets_at_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None or user.pk is None:
        return
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        _send_logout(login_group(session_key))
    else:
        close_person_sockets(user.pk)
