from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.rhythm.models import (
    MAX_APPRECIATION,
    MAX_IDEA,
    MAX_INTENTION,
    MAX_LAPSE_NOTE,
    BidKind,
    GestureEffort,
    GestureKind,
)


def _too_long() -> dict[str, Any]:
    return {"max_length": _("Keep this to %(limit_value)d characters or fewer.")}


class AppreciationForm(forms.Form):
    text = forms.CharField(
        label=_("I noticed and appreciated…"),
        max_length=MAX_APPRECIATION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Something small and specific is plenty: what they did, and what it meant to you."
        ),
        error_messages={
            **_too_long(),
            "required": _("Write what you noticed and appreciated."),
        },
    )


class GestureFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *GestureKind.choices], required=False
    )
    effort = forms.ChoiceField(
        label=_("Time it takes"),
        choices=[("", _("Any time")), *GestureEffort.choices],
        required=False,
    )


class GesturePickForm(forms.Form):
    gesture = forms.CharField(required=False, max_length=40)
    idea = forms.UUIDField(
        required=False, error_messages={"invalid": _("That idea was not found.")}
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("gesture")) == (data.get("idea") is not None):
            raise forms.ValidationError(_("Choose one gesture for this week."))
        return data


class GestureDoneForm(forms.Form):
    pick = forms.IntegerField(
        min_value=1, error_messages={"invalid": _("That gesture was not found.")}
    )


class GestureIdeaForm(forms.Form):
    text = forms.CharField(
        label=_("Your idea"),
        max_length=MAX_IDEA,
        error_messages={**_too_long(), "required": _("Describe your idea in a few words.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=GestureKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a kind of gesture.")},
    )
    effort = forms.ChoiceField(
        label=_("Time it takes"),
        choices=GestureEffort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how much time it takes.")},
    )


class BidForm(forms.Form):
    kind = forms.ChoiceField(
        choices=BidKind.choices,
        error_messages={
            "required": _("Choose one of the two notes."),
            "invalid_choice": _("Choose one of the two notes."),
        },
    )


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        error_messages={"invalid_choice": _("Choose to opt in or out.")},
    )


class DayForm(forms.Form):
    """The day an entry is for; the service refuses any day but today."""

    day = forms.DateField(
        error_messages={
            "required": _("The day is missing. Reload the page and try again."),
            "invalid": _("That is not a date. Reload the page and try again."),
        }
    )


class IntentionForm(DayForm):
    intention = forms.CharField(
        label=_("My intention for today"),
        max_length=MAX_INTENTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "In your own words: what you will and won't do today, and who you can reach for "
            "if it gets hard."
        ),
        error_messages={**_too_long(), "required": _("Write your intention for today.")},
    )


class LapseForm(forms.Form):
    day = forms.DateField(
        label=_("Which day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose the day."),
            "invalid": _("Enter a date like 2026-03-04."),
        },
    )
    note = forms.CharField(
        label=_("What happened, and what might help next time (optional)"),
        required=False,
        max_length=MAX_LAPSE_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_too_long(),
    )
