"""Project-written texts for circles: the starter guidelines, the meeting agenda and the
end-of-meeting rating. All of it is this project's own wording."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

STARTER_GUIDELINES = _(
    """We keep what is shared here inside this circle. Stories stay with the people who told them.
We speak from our own experience and use "I" rather than telling others what they should do.
We listen to understand, not to fix. Advice is offered only when someone asks for it.
We respect every background, identity, body, belief and path of recovery or healing.
We do not shame, mock, or argue about whose pain is bigger.
We add a content note before writing about something that may be hard to read.
We can pass: nobody has to share, and silence is welcome.
If someone may be in danger, we tell a facilitator and point them to crisis help.
Facilitators may hold or remove posts that break these guidelines, and will say why."""
)

AGENDA_TEMPLATE = _(
    """1. Opening: a short welcome, and a moment to arrive.
2. Guidelines reminder: we read one or two guidelines aloud and ask if anyone needs anything.
3. Check-in round: each person says a few words about how they are today, or passes.
4. Sharing: one person speaks at a time; the others listen without interrupting or fixing.
5. Closing: one thing each of us takes away, and thanks for being here."""
)

# The end-of-meeting rating: a few project-written items, each answered from 1 to 5.
RATING_ITEMS: tuple[tuple[str, _StrPromise], ...] = (
    ("heard", _("I felt heard in this meeting.")),
    ("safe", _("It felt safe to say what was true for me.")),
    ("together", _("We worked on what mattered to me.")),
    ("come_back", _("I want to come back to the next meeting.")),
)
RATING_SCALE: tuple[tuple[int, _StrPromise], ...] = (
    (1, _("1 · not at all")),
    (2, _("2 · a little")),
    (3, _("3 · somewhat")),
    (4, _("4 · mostly")),
    (5, _("5 · completely")),
)
