"""The live round socket: thin, every change goes through the services.

Protocol (JSON text frames):
- server -> {"type": "state", ...} (see selectors_meetings.round_state) on connect and after
  every change, so a reconnecting client is current at once;
- client -> {"type": "join" | "withdraw" | "pass" | "close"} or {"type": "give", "member": id};
- server -> {"type": "error", "message": "..."} for anything refused: nothing changes and the
  connection stays open. A change that is accepted arrives as the next "state".
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from confide.circles import selectors_meetings
from confide.circles.access import round_membership
from confide.circles.models import Membership, Round
from confide.circles.services import CircleError
from confide.circles.services.rounds import (
    round_close,
    round_give,
    round_group,
    round_join,
    round_pass,
    round_withdraw,
)
from confide.core.ratelimit import rate_limited_message, write_attempt
from confide.core.realtime import PersonSocket
from confide.core.textcheck import message_problem

MAX_FRAME = 1000


class RoundConsumer(PersonSocket):
    membership: Membership
    round: Round

    async def person_connected(self) -> bool:
        found = await database_sync_to_async(round_membership)(
            self.scope["user"], self.scope["url_route"]["kwargs"]["round_id"]
        )
        if found is None:
            return False
        self.membership, self.round = found
        await self.channel_layer.group_add(round_group(self.round.pk), self.channel_name)
        await self.accept()
        await self._send_state()
        return True

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "round"):
            await self.channel_layer.group_discard(round_group(self.round.pk), self.channel_name)
        await super().disconnect(code)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        message: Any = None
        if text_data is not None and len(text_data) <= MAX_FRAME:
            try:
                message = json.loads(text_data)
            except (ValueError, RecursionError):
                message = None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self._error(_("A message is a JSON object with a “type”."))
            return
        problem = message_problem(message)
        if problem is not None:
            await self._error(problem)
            return
        try:
            await database_sync_to_async(self._act)(message)
        except CircleError as error:
            await self._error(error.messages[0])
        # On success every socket of the round, this one too, gets the new state through the
        # group once the change is committed.

    def _act(self, message: dict[str, Any]) -> None:
        # Fresh from the database: a role or membership may have changed since connecting.
        found = round_membership(self.membership.user, self.round.pk)
        if found is None:
            raise CircleError(_("You are no longer a member of this circle."))
        membership, round_ = found
        wait = write_attempt(membership.user_id)
        if wait:
            raise CircleError(rate_limited_message(wait))
        kind = message["type"]
        if kind == "join":
            round_join(membership=membership, round_=round_)
        elif kind == "withdraw":
            round_withdraw(membership=membership, round_=round_)
        elif kind == "pass":
            round_pass(membership=membership, round_=round_)
        elif kind == "give":
            try:
                member = uuid.UUID(str(message.get("member", ""))[:64])
            except ValueError:
                raise CircleError(_("Choose someone who is waiting in the queue.")) from None
            round_give(membership=membership, round_=round_, member_id=member)
        elif kind == "close":
            round_close(membership=membership, round_=round_)
        else:
            raise CircleError(_("Unknown message type."))

    async def round_changed(self, event: dict[str, Any]) -> None:
        await self._send_state()

    async def _send_state(self) -> None:
        state = await database_sync_to_async(self._state)()
        await self.send_json(state)

    def _state(self) -> dict[str, Any]:
        membership = Membership.objects.select_related("circle").get(pk=self.membership.pk)
        return selectors_meetings.round_state(round_id=self.round.pk, viewer=membership)

    async def _error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})
