"""Every write to the pair space: pairing, check-ins and replies, prompts."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class PairError(ValidationError):
    """A request that cannot be done; the message says why, for the person."""
