"""Notices shown once: in plain words, who can see what, before a person's first check-in,
circle post and measure; and the time zone their browser gave at sign-up, to confirm.

A notice stays above its form until the person presses "Got it" (a plain form post, no
JavaScript); then it is recorded in NoticeSeen and not shown again.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import NoticeSeen, User

TIME_ZONE = "time_zone"
CHECKIN = "privacy.checkin"
POST = "privacy.post"
MEASURE = "privacy.measure"

TITLES = {
    CHECKIN: _("Who sees your check-in"),
    POST: _("Who sees what you post in a circle"),
    MEASURE: _("Who sees your answers"),
}
TEXTS = {
    CHECKIN: [
        _("“Only me”: nobody else sees it, not your partner and not the people who run Confide."),
        _(
            "“Shared”: your partner in this pair sees it and can reply; nobody else does. "
            "You choose for each check-in."
        ),
        _("Your notes are stored encrypted on this server and never sent anywhere else."),
    ],
    POST: [
        _("The members of this circle see your posts and replies, under your pseudonym."),
        _(
            "The circle's facilitators can hide a post that goes against the guidelines; "
            "nobody outside the circle sees anything."
        ),
        _("Your account name and email address are never shown to the circle."),
    ],
    MEASURE: [
        _("Only you see your answers and scores."),
        _(
            "Your partner sees your scores only if you choose to share them on the progress "
            "page, and you can stop sharing at any time."
        ),
        _(
            "To tell a real change from everyday ups and downs, the app works out how much "
            "scores usually vary from everyone's latest answers, without names."
        ),
    ],
}
KEYS = frozenset({TIME_ZONE, CHECKIN, POST, MEASURE})


def notice_is_seen(*, user: User, key: str) -> bool:
    return NoticeSeen.objects.filter(user=user, key=key).exists()


def notice_acknowledge(*, user: User, key: str) -> NoticeSeen:
    """Record that the person has read the notice; safe to repeat. Unknown keys are refused."""
    if key not in KEYS:
        raise ValueError(key)
    try:
        with transaction.atomic():
            seen, _created = NoticeSeen.objects.get_or_create(user=user, key=key)
    except IntegrityError:  # a double click that raced the first
        seen = NoticeSeen.objects.get(user=user, key=key)
    return seen
