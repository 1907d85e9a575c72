from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from confide.reminders.models import Kind, Reminder

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
# What the page suggests for a kind never set; nothing is stored until the person saves.
SUGGESTED_TIMES = {
    Kind.CHECKIN: time(20, 0),
    Kind.APPRECIATION: time(18, 0),
    Kind.PLANNED_TIME: time(10, 0),
    Kind.MEASURES: time(19, 0),
}
HINTS = {
    Kind.CHECKIN: _(
        "A nudge to check in with your partner. It stays away on days you have already checked in."
    ),
    Kind.APPRECIATION: _(
        "A nudge to notice something your partner did that you valued, and to tell them."
    ),
    Kind.PLANNED_TIME: _(
        "A nudge to plan some unhurried time together, or to keep the time you planned."
    ),
    Kind.MEASURES: _(
        "A nudge when a short reflection is waiting for you. Nothing comes when none is."
    ),
}


class ReminderForm(forms.Form):
    """One kind of reminder; its fields are named <kind>-enabled, <kind>-at, <kind>-weekdays."""

    enabled = forms.BooleanField(label=_("Remind me"), required=False)
    at = forms.TimeField(
        label=_("Time"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time of day like 19:30, between 00:00 and 23:59.")},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        required=False,
        coerce=int,
        choices=[(day, WEEKDAYS[day]) for day in range(7)],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose days of the week from the list.")},
    )

    def __init__(self, *args: Any, kind: Kind, reminder: Reminder | None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        if reminder is not None:
            initial = {
                "enabled": reminder.enabled,
                "at": reminder.at,
                "weekdays": sorted(reminder.days),
            }
        else:
            initial = {"enabled": False, "at": SUGGESTED_TIMES[kind], "weekdays": list(range(7))}
        kwargs |= {"prefix": kind.value, "initial": initial}
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.hint = HINTS[kind]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("enabled"):
            if cleaned.get("at") is None and "at" not in self.errors:
                self.add_error("at", _("Choose a time for this reminder, or turn it off."))
            if not cleaned.get("weekdays") and "weekdays" not in self.errors:
                self.add_error(
                    "weekdays", _("Choose at least one day for this reminder, or turn it off.")
                )
        return cleaned
