"""Every write to dialogues and topics."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DialogueError(ValidationError):
    """A request that cannot be done; the message says why, for the person. `code` is stable
    for programs (the socket sends it)."""
