from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.notifications.models import Channel, Kind

CHANNEL_PREFIX = "channel_"
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
QUIET_FIELDS = ("quiet_enabled", "quiet_start", "quiet_end")


def _time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time of day like 22:00, between 00:00 and 23:59.")},
    )


class PreferencesForm(forms.Form):
    """One radio group per kind, then quiet hours. Kind fields are named channel_<kind>."""

    quiet_enabled = forms.BooleanField(label=_("Send no email during quiet hours"), required=False)
    quiet_start = _time_field(_("Quiet hours start at"))
    quiet_end = _time_field(_("Quiet hours end at"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[f"{CHANNEL_PREFIX}{kind.value}"] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose In app, Email too or Off."),
                    "invalid_choice": _("Choose In app, Email too or Off."),
                },
            )
        self.order_fields([*(f"{CHANNEL_PREFIX}{kind}" for kind in Kind.values), *QUIET_FIELDS])

    def channel_fields(self) -> Iterator[forms.BoundField]:
        for kind in Kind:
            yield self[f"{CHANNEL_PREFIX}{kind.value}"]

    def quiet_fields(self) -> list[forms.BoundField]:
        return [self["quiet_start"], self["quiet_end"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        data: Mapping[str, Any] = self.data
        known = {f"{CHANNEL_PREFIX}{kind}" for kind in Kind.values}
        if any(key.startswith(CHANNEL_PREFIX) and key not in known for key in data):
            raise forms.ValidationError(
                _("This form names a kind of notification that does not exist. Reload the page."),
                code="unknown_kind",
            )
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if cleaned.get("quiet_enabled"):
            for name in ("quiet_start", "quiet_end"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Enter a time to use quiet hours."))
        if start is not None and end is not None and start == end:
            self.add_error(
                "quiet_end", _("Quiet hours must end at a different time than they start.")
            )
        return cleaned

    def channels(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"{CHANNEL_PREFIX}{kind}"] for kind in Kind.values}
