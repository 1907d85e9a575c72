"""The live dialogue socket: thin, every write goes through the services.

Protocol (JSON text frames):
- client -> {"type": "resume", "last_seen": N}: on every (re)connect; the server sends every
  stored step after N, in order, then each new step as it is stored.
- client -> {"type": "move", "move": "share", "text": "...", "last_seen": N[, "minutes": 20]}
  (`session` may be given; it must be this socket's session).
- server -> {"type": "step", "seq": n, ...} (see selectors.step_event), and
  {"type": "error", "code": "...", "message": "..."} for anything refused: nothing is stored
  and the connection stays open.
"""

from __future__ import annotations

import asyncio
import json
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.db import database_sync_to_async
from django.urls import reverse
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.core.ratelimit import rate_limited_message, write_attempt
from confide.core.realtime import PersonSocket
from confide.core.textcheck import message_problem
from confide.dialogue import selectors
from confide.dialogue.access import session_for_socket
from confide.dialogue.machine import MAX_PAUSE, MAX_TURN, TEXT_MOVES, MoveKind
from confide.dialogue.models import DialogueSession, Step, WithheldTurn
from confide.dialogue.services import DialogueError
from confide.dialogue.services.broadcast import session_group
from confide.dialogue.services.sessions import dialogue_move
from confide.safety.coach import Coaching
from confide.safety.services import (
    CoachFirst,
    Prescreened,
    WriteCheck,
    check_of,
    prescreen,
    support_url,
)

# A turn of MAX_TURN characters, JSON-escaped, fits with room to spare.
MAX_FRAME = MAX_TURN * 6 + 1000

# Turns are screened here, before the trip to the database thread (see `_prescreen`): one
# screening at a time per core this process may use.
_screening_pool = ThreadPoolExecutor(
    max_workers=max(1, len(os.sched_getaffinity(0))), thread_name_prefix="confide-screen"
)


class BadMessage(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _coach_event(move: str, coaching: Coaching) -> dict[str, Any]:
    return {
        "type": "coach",
        "move": move,
        "title": str(_("Before you send: a gentler start?")),
        "notes": [f"“{note.words}” {note.explanation}" for note in coaching.notes],
        "rewrite": coaching.rewrite,
        "send_as_is": str(_("Send as it is")),
    }


def _int(message: dict[str, Any], key: str, *, required: bool = True) -> int | None:
    value = message.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadMessage("bad_message", _("“%(key)s” must be a whole number.") % {"key": key})
    return value


class DialogueConsumer(PersonSocket):
    session: DialogueSession
    sent_upto: int | None = None

    async def person_connected(self) -> bool:
        user = self.scope["user"]
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        session = await database_sync_to_async(session_for_socket)(user, session_id)
        if session is None:
            return False
        self.session = session
        await self.channel_layer.group_add(session_group(session.pk), self.channel_name)
        await self.accept()
        return True

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "session"):
            await self.channel_layer.group_discard(
                session_group(self.session.pk), self.channel_name
            )
        await super().disconnect(code)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            await self._handle(self._parse(text_data, bytes_data))
        except BadMessage as error:
            await self.send_json({"type": "error", "code": error.code, "message": error.message})

    def _parse(self, text_data: str | None, bytes_data: bytes | None) -> dict[str, Any]:
        if text_data is None:
            raise BadMessage("bad_message", _("Send text messages in JSON."))
        if len(text_data) > MAX_FRAME:
            raise BadMessage(
                "too_long",
                _("Keep a turn to %(n)d characters or fewer; you can say the rest next.")
                % {"n": MAX_TURN},
            )
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):
            raise BadMessage("bad_json", _("That message was not valid JSON.")) from None
        if not isinstance(message, dict):
            raise BadMessage("bad_message", _("A message is a JSON object with a “type”."))
        problem = message_problem(message)
        if problem is not None:  # NUL or a lone surrogate: it could never be sealed or shown
            raise BadMessage("bad_text", problem)
        return message

    async def _handle(self, message: dict[str, Any]) -> None:
        session = message.get("session")
        if session is not None and str(session) != str(self.session.pk):
            raise BadMessage("not_found", _("This conversation was not found."))
        kind = message.get("type")
        if kind == "resume":
            await self._resume(message)
        elif kind == "move":
            await self._move(message)
        else:
            raise BadMessage("unknown_type", _("Unknown message type."))

    async def _resume(self, message: dict[str, Any]) -> None:
        last_seen = _int(message, "last_seen")
        assert last_seen is not None  # noqa: S101 - required above
        last_seq = await database_sync_to_async(self._last_seq)()
        if last_seen > last_seq:
            raise BadMessage(
                "stale", _("That step number is not in this conversation. Reload the page.")
            )
        self.sent_upto = last_seen
        await self._flush()

    def _last_seq(self) -> int:
        return DialogueSession.objects.values_list("last_seq", flat=True).get(pk=self.session.pk)

    async def _move(self, message: dict[str, Any]) -> None:
        move = message.get("move")
        text = message.get("text", "")
        if not isinstance(move, str) or not isinstance(text, str):
            raise BadMessage("bad_message", _("“move” and “text” must be text."))
        if len(text) > MAX_TURN:
            raise BadMessage(
                "too_long",
                _("Keep a turn to %(n)d characters or fewer; you can say the rest next.")
                % {"n": MAX_TURN},
            )
        last_seen = _int(message, "last_seen")
        minutes = _int(message, "minutes", required=False)
        if minutes is not None and minutes > MAX_PAUSE.total_seconds() // 60:
            raise BadMessage("pause_length", _("A break lasts from 1 minute to 2 hours."))
        assert last_seen is not None  # noqa: S101 - required above
        # A socket that never resumed starts from the number its first accepted move gives.
        after = last_seen if self.sent_upto is None else self.sent_upto
        send_as_is = message.get("send_as_is") is True
        # The write limit reads only the cache: counted in a screening thread, not queued
        # behind other sockets' database work.
        loop = asyncio.get_running_loop()
        wait = await loop.run_in_executor(_screening_pool, write_attempt, self.scope["user"].pk)
        if wait:
            raise BadMessage("rate_limited", rate_limited_message(wait))
        prescreened = await self._prescreen(move, text)
        try:
            played, events = await database_sync_to_async(self._move_and_read)(
                move, text, last_seen, minutes, after, send_as_is, prescreened
            )
        except CoachFirst as held:
            # Nothing is stored: the writer sees a private coach and chooses what to send.
            if held.coaching is not None:
                await self.send_json(_coach_event(move, held.coaching))
            return
        except DialogueError as error:
            raise BadMessage(error.code or "refused", error.messages[0]) from None
        if self.sent_upto is None:
            self.sent_upto = after
        await self._send_events(events)
        check = check_of(played)
        if check is not None and check.keep_private:
            url = await database_sync_to_async(self._support_url)(check, played)
            if url:
                await self.send_json({"type": "support", "url": url})

    async def _prescreen(self, move: str, text: str) -> Prescreened | None:
        """Screen a turn's words in a screening thread, not the one database thread.

        Every socket's database work runs in one thread; the encoder takes tens of milliseconds
        and releases the GIL, so screening there made every other conversation wait behind it
        (and behind each commit's flush to disk). The service still screens through its one
        seam, and uses this only for exactly the words it stores.
        """
        try:
            kind = MoveKind(move)
        except ValueError:
            return None  # the service refuses it with its own message
        words = text.strip()
        if kind not in TEXT_MOVES or not words:
            return None
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_screening_pool, prescreen, words)

    def _support_url(self, check: WriteCheck, played: Step | WithheldTurn) -> str | None:
        """Crisis or fear words: support for the writer only; the partner is not told."""
        session = self.session
        next_url = reverse("dialogue:session", args=[session.pair_id, session.pk])
        return support_url(
            check=check,
            writer=self.scope["user"],
            next_url=next_url,
            where="dialogue.turn",
            pair_id=session.pair_id,
            entry=f"turn:{played.pk}" if isinstance(played, WithheldTurn) else None,
        )

    def _move_and_read(
        self,
        move: str,
        text: str,
        last_seen: int | None,
        minutes: int | None,
        after: int,
        send_as_is: bool,
        prescreened: Prescreened | None,
    ) -> tuple[Step | WithheldTurn, list[dict[str, Any]]]:
        """One trip to the database thread: store the move (the service screens it once), then
        read what this socket has not sent yet (its own step included)."""
        user: User = self.scope["user"]
        played = dialogue_move(
            session=self.session,
            author=user,
            kind=move,
            text=text,
            expected_seq=last_seen,
            pause_minutes=minutes,
            send_as_is=send_as_is,
            prescreened=prescreened,
        )
        return played, self._events_after(after, user.pk)

    async def dialogue_changed(self, event: dict[str, Any]) -> None:
        if self.sent_upto is not None and event.get("seq", 0) <= self.sent_upto:
            return  # already sent (e.g. this socket's own move)
        await self._flush()

    async def _flush(self) -> None:
        """Send every stored step this socket has not sent yet, in order, each once."""
        if self.sent_upto is None:
            return  # not resumed yet: the client says where it is first
        user_id = self.scope["user"].pk
        await self._send_events(
            await database_sync_to_async(self._events_after)(self.sent_upto, user_id)
        )

    async def _send_events(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            if self.sent_upto is None or event["seq"] > self.sent_upto:
                await self.send_json(event)
                self.sent_upto = event["seq"]

    def _events_after(self, after: int, user_id: object) -> list[dict[str, Any]]:
        steps = selectors.steps_after(session=self.session, after=after)
        return [selectors.step_event(step, viewer_id=user_id) for step in steps]
