"""What to do now, in our own words: one short note per step and role, with an example."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from confide.dialogue.machine import MoveKind, Phase


@dataclass(frozen=True)
class Guide:
    title: str | Promise
    text: str | Promise
    example: str | Promise = ""


SPEAKER, LISTENER = True, False

GUIDES: dict[tuple[Phase, bool], Guide] = {
    (Phase.SHARE, SPEAKER): Guide(
        _("You have the floor: share one thing"),
        _(
            "Speak about yourself, briefly. Start with “I”, name a feeling, and keep it to one "
            "piece your partner can hold."
        ),
        _(
            "“I felt left out on Saturday when plans changed without me, and I'd like us to "
            "decide together.”"
        ),
    ),
    (Phase.SHARE, LISTENER): Guide(
        _("Your partner has the floor: listen"),
        _(
            "Get comfortable and let them finish. You will say back what you heard next, so "
            "listen for that, not for your reply."
        ),
    ),
    (Phase.MIRROR, SPEAKER): Guide(
        _("Your partner is saying back what they heard"),
        _("Breathe. In a moment you can tell them whether they got it."),
    ),
    (Phase.MIRROR, LISTENER): Guide(
        _("Mirror: say back what you heard"),
        _("Use their words where you can, without adding your view. Then ask if you got it."),
        _(
            "“What I heard is that you felt left out when the plans changed, and you'd like us "
            "to decide together. Did I get that?”"
        ),
    ),
    (Phase.CONFIRM, SPEAKER): Guide(
        _("Did they get it?"),
        _(
            "If it fits, say so. If something is missing, add it gently: your partner will "
            "mirror again."
        ),
        _("“Almost: it was less the plan and more that nobody asked me.”"),
    ),
    (Phase.CONFIRM, LISTENER): Guide(
        _("Waiting for your partner to confirm"),
        _("If they add something, you will mirror again. That is the practice working."),
    ),
    (Phase.VALIDATE, SPEAKER): Guide(
        _("You were heard"),
        _("Your partner is now saying what makes sense about how you see it."),
    ),
    (Phase.VALIDATE, LISTENER): Guide(
        _("Validate: what makes sense about it"),
        _("You don't have to agree. Show that, from where they stand, it makes sense."),
        _("“It makes sense that you felt left out, because you had kept the day free for us.”"),
    ),
    (Phase.EMPATHISE, SPEAKER): Guide(
        _("Your partner is imagining how it felt"),
        _("Notice what it is like to be understood."),
    ),
    (Phase.EMPATHISE, LISTENER): Guide(
        _("Empathise: name the feelings you imagine"),
        _("Guess at feelings, gently, and ask."),
        _("“I imagine you felt hurt and a little invisible. Is that right?”"),
    ),
    (Phase.SWAP, SPEAKER): Guide(
        _("A full turn is complete"),
        _(
            "When you both feel ready, swap roles: the listener gets the floor. Or close here "
            "for today."
        ),
    ),
    (Phase.SWAP, LISTENER): Guide(
        _("A full turn is complete"),
        _(
            "Thank you for listening. When you both feel ready, swap roles and you get the "
            "floor. Or close here for today."
        ),
    ),
}

PAUSED = Guide(
    _("A break to settle"),
    _(
        "When feelings run high, bodies need time to calm down before words can help. Breathe "
        "with the circle, drink some water, and come back when the time is up. The conversation "
        "will wait exactly where it is."
    ),
)
CLOSED = Guide(
    _("This conversation is closed"),
    _(
        "Thank you both for listening. Say how understood you felt; it helps you see, over "
        "time, how your conversations are going."
    ),
)

# How each kind of step is labelled in the transcript.
STEP_LABELS: dict[str, str | Promise] = {
    "start": _("started the conversation"),
    MoveKind.SHARE: _("shared"),
    MoveKind.MIRROR: _("mirrored"),
    MoveKind.CONFIRM: _("confirmed: “You got it.”"),
    MoveKind.CLARIFY: _("clarified"),
    MoveKind.VALIDATE: _("validated"),
    MoveKind.EMPATHISE: _("empathised"),
    MoveKind.SWAP: _("agreed to swap roles"),
    MoveKind.CLOSE: _("closed the conversation"),
    MoveKind.PAUSE: _("asked for a break"),
    MoveKind.RESUME: _("agreed to go on"),
}

# The button for each move, and whether it carries words.
BUTTONS: dict[MoveKind, str | Promise] = {
    MoveKind.SHARE: _("Share"),
    MoveKind.MIRROR: _("Send my mirror"),
    MoveKind.CONFIRM: _("Yes, you got it"),
    MoveKind.CLARIFY: _("Clarify"),
    MoveKind.VALIDATE: _("Send my validation"),
    MoveKind.EMPATHISE: _("Send my empathy"),
    MoveKind.SWAP: _("I'm ready to swap roles"),
    MoveKind.CLOSE: _("Close the conversation"),
    MoveKind.PAUSE: _("Pause: I need a break"),
    MoveKind.RESUME: _("Go on"),
}
