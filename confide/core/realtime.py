"""What every authenticated WebSocket shares: a per-person group, and closing at logout.

Use `PersonSocket` as the base of a consumer that needs a signed-in person:

    class MyConsumer(PersonSocket):
        async def person_connected(self) -> bool:   # return False to refuse (closed, no reason)
            ...

On connect it refuses anonymous visitors, then joins the group `person_group(user.pk)`.
When that person logs out anywhere, the `user_logged_out` receiver below sends
`{"type": "realtime.logout"}` to the group, and every socket of theirs closes with
`LOGGED_OUT` (4401). The receiver is registered when this module is imported (apps import it in
`ready()`); `dispatch_uid` keeps it registered once.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

LOGGED_OUT = 4401


def person_group(user_id: object) -> str:
    return f"user.{user_id}"


class PersonSocket(AsyncJsonWebsocketConsumer):
    """A JSON socket for a signed-in person, closed when they log out."""

    person_group_name: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        self.person_group_name = person_group(user.pk)
        await self.channel_layer.group_add(self.person_group_name, self.channel_name)
        if not await self.person_connected():
            await self.channel_layer.group_discard(self.person_group_name, self.channel_name)
            self.person_group_name = None
            await self.close()

    async def person_connected(self) -> bool:
        """Authorise and accept; return False to refuse without saying why."""
        await self.accept()
        return True

    async def disconnect(self, code: int) -> None:
        if self.person_group_name is not None:
            await self.channel_layer.group_discard(self.person_group_name, self.channel_name)

    async def realtime_logout(self, event: dict[str, Any]) -> None:
        await self.close(code=LOGGED_OUT)


def close_person_sockets(user_id: object) -> None:
    """Close every socket of this person, in every server process that shares the layer."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(person_group(user_id), {"type": "realtime.logout"})


@receiver(user_logged_out, dispatch_uid="confide.core.realtime.logout")
def _close_sockets_at_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and user.pk is not None:
        close_person_sockets(user.pk)
