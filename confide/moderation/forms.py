from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from confide.moderation.models import (
    MAX_NOTE,
    MAX_PRESET_LABEL,
    MAX_PRESET_TEXT,
    Reason,
    WarningPreset,
)
from confide.moderation.services import MUTE_DAYS, Decision, Restriction

TOO_LONG = _("Keep this to %(limit_value)d characters or fewer (it has %(show_value)d).")


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this post?"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason."),
            "invalid_choice": _("Choose one of the listed reasons."),
        },
    )
    note = forms.CharField(
        label=_("Anything the facilitators should know (optional)"),
        help_text=_("Only the circle's facilitators read this. It is stored encrypted."),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )


class PresetChoiceField(forms.ModelChoiceField[WarningPreset]):
    def label_from_instance(self, obj: WarningPreset) -> str:
        return obj.label


class DecisionForm(forms.Form):
    hide = forms.BooleanField(label=_("Hide this post from members"), required=False)
    warning = PresetChoiceField(
        label=_("Send the author a note"),
        queryset=WarningPreset.objects.none(),
        required=False,
        empty_label=_("No note"),
        error_messages={"invalid_choice": _("Choose one of this circle's notes.")},
    )
    restriction = forms.ChoiceField(
        label=_("Limit the author's posting"),
        choices=[
            (Restriction.NONE, _("No limit")),
            (Restriction.PROBATION, _("Probation: a facilitator reviews their new posts")),
            (Restriction.MUTE, _("Pause their posting for a while")),
            (Restriction.REMOVE, _("Remove them from the circle")),
        ],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the listed limits.")},
    )
    mute_days = forms.TypedChoiceField(
        label=_("How long to pause their posting"),
        choices=[],  # set per request in __init__, in the viewer's language
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the listed lengths.")},
    )

    def __init__(
        self,
        *args: Any,
        circle_id: uuid.UUID,
        presets: Sequence[WarningPreset] | None = None,
        **kwargs: Any,
    ) -> None:
        """`presets`: the circle's notes, read once for a page of unbound forms, so each form
        on the queue does not read them again to list its choices."""
        super().__init__(*args, **kwargs)
        field = self.fields["warning"]
        if isinstance(field, forms.ModelChoiceField):  # always; narrows the type for mypy
            field.queryset = WarningPreset.objects.filter(circle_id=circle_id).order_by(
                "created_at"
            )
            if presets is not None:
                field.choices = [("", field.empty_label)] + [
                    (p.pk, field.label_from_instance(p)) for p in presets
                ]
        days = self.fields["mute_days"]
        if isinstance(days, forms.ChoiceField):
            days.choices = [
                (d, ngettext("%(n)d day", "%(n)d days", d) % {"n": d}) for d in MUTE_DAYS
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("restriction") == Restriction.MUTE and not data.get("mute_days"):
            self.add_error("mute_days", _("Choose for how long the member cannot post."))
        return data

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            hide=bool(data.get("hide")),
            warning=data.get("warning"),
            restriction=data.get("restriction") or Restriction.NONE,
            mute_days=data.get("mute_days") or None,
        )


class PresetForm(forms.Form):
    label = forms.CharField(
        label=_("Short name"),
        max_length=MAX_PRESET_LABEL,
        error_messages={"required": _("Give the note a short name."), "max_length": TOO_LONG},
    )
    text = forms.CharField(
        label=_("Text the member reads"),
        max_length=MAX_PRESET_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the note's text."), "max_length": TOO_LONG},
    )
