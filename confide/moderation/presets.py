"""The project's own starter warning presets, written for Confide. Each circle gets a copy that
its facilitators can edit."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

STARTER_PRESETS: Final[tuple[tuple[StrOrPromise, StrOrPromise], ...]] = (
    (
        _("Speak from your own experience"),
        _(
            "Thank you for taking part. One of your posts told another member what they should "
            'feel or do. Here we share from our own experience ("I found…", "for me…"), so '
            "everyone can stay open. Please keep that in mind in your next posts."
        ),
    ),
    (
        _("Kindness towards each other"),
        _(
            "A recent post of yours came across as hurtful to another member. People here share "
            "things that are hard to say; please disagree gently and without personal remarks."
        ),
    ),
    (
        _("Respect for every background"),
        _(
            "One of your posts spoke about a group of people in a way that can make members of "
            "that group feel unwelcome. This circle celebrates differences; please don't post "
            "remarks like that again."
        ),
    ),
    (
        _("No advertising"),
        _(
            "This circle is for mutual support, not for promoting products, services or links. "
            "Please keep your posts about your own journey."
        ),
    ),
)
