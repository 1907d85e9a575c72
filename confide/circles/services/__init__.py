"""Every write to circles: membership, guidelines, posts, goals and meetings."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CircleError(ValidationError):
    """A request that cannot be done; the message says why, for the person."""
