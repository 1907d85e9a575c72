"""Telling connected sockets that a session has new steps.

Only the session id and the new sequence number cross the channel layer (which may be Redis):
never text. Each socket then reads the steps it has not sent yet from the database, so what
it sends is always the stored copy, in order, each step once.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def session_group(session_id: object) -> str:
    return f"dialogue.{session_id}"


def announce(session_id: object, seq: int) -> None:
    """Call in transaction.on_commit: the step is saved by then."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            session_group(session_id), {"type": "dialogue.changed", "seq": seq}
        )
    except Exception:
        # The step is stored; sockets catch up on their next message or reconnect.
        logger.exception("dialogue: could not announce step %s of %s", seq, session_id)
