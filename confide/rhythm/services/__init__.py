"""Every write to the rhythm of a pair: appreciations, gestures, bids, the recovery contract."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class RhythmError(ValidationError):
    """A request that cannot be done; the message says why, for the person."""
