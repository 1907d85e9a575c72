"""The safety plan form: the steps' names and hints, in our own words, and their limits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from confide.safety.models import MAX_STEP


class StepField(forms.CharField):
    """Free text for one step, its line breaks folded before the length is checked.

    Browsers count a line break as one character against `maxlength` but send it as two
    (CRLF); without folding, a plan that fit in the browser could be refused here.
    """

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""  # None only with empty_value=None, unused here
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _step(label: StrOrPromise, hint: StrOrPromise) -> StepField:
    return StepField(
        label=label,
        help_text=hint,
        required=False,
        max_length=MAX_STEP,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Keep each step to %(limit_value)d characters or fewer (this one has "
                "%(show_value)d)."
            )
        },
    )


class SafetyPlanForm(forms.Form):
    """The five steps. It has no field naming a person: the plan is always the viewer's own."""

    warning_signs = _step(
        _("1. Signs that a hard time is coming"),
        _(
            "What tells you a crisis may be building: thoughts, moods, situations, or things you "
            "start doing. For example: not sleeping, going quiet with everyone, a certain date."
        ),
    )
    on_my_own = _step(
        _("2. Things I can do on my own that help"),
        _(
            "Small things that take the edge off without needing anyone else: a walk, a shower, "
            "a song, slow breathing, writing it down."
        ),
    )
    people_and_places = _step(
        _("3. People and places that take my mind off it"),
        _(
            "People you can be around without having to talk about how you feel, and places "
            "where you feel a little better: a friend's kitchen, a library, a park."
        ),
    )
    who_to_ask = _step(
        _("4. People I can ask for help, and professionals or services I can contact"),
        _(
            "Names and numbers of people you trust to tell, and of your doctor, a counsellor, a "
            "crisis line or the emergency number. The lines for your country are on your safety "
            "page."
        ),
    )
    safer_surroundings = _step(
        _("5. Making my surroundings safer"),
        _(
            "What you could put out of reach, hand to someone to keep for now, or stay away "
            "from while things are hard, and who could help you do it."
        ),
    )
