from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.together.models import MAX_MINUTES, MAX_NOTES, MAX_WHAT, MIN_MINUTES


class PlanForm(forms.Form):
    what = forms.CharField(
        label=_("What would you like to do together?"),
        max_length=MAX_WHAT,
        help_text=_("For example: a walk by the river, cooking a new recipe, a board game."),
        error_messages={
            "required": _("Say what you would like to do together."),
            "max_length": _("Keep this to %(limit_value)d characters or fewer."),
        },
    )
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose a date."),
            "invalid": _("Enter a date like 2026-12-31."),
        },
    )
    start_time = forms.TimeField(
        label=_("Starts at (your time)"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Choose a time."), "invalid": _("Enter a time like 19:30.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        initial=60,
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        help_text=_("From 5 minutes to 12 hours (720 minutes)."),
        error_messages={
            "required": _("Say how long you plan to spend together."),
            "invalid": _("Enter a whole number of minutes."),
            "min_value": _("Plan at least %(limit_value)s minutes."),
            "max_value": _("Plan at most %(limit_value)s minutes (12 hours)."),
        },
    )
    device_free = forms.BooleanField(
        label=_("Device-free: phones and screens away"),
        required=False,
        initial=True,
    )
    notes = forms.CharField(
        label=_("Notes for the two of you (optional)"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you and your partner see these. They are not put in calendar files."),
        error_messages={"max_length": _("Keep the notes to %(limit_value)d characters or fewer.")},
    )


class TimerStartForm(forms.Form):
    plan = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("This plan could not be found.")},
    )
