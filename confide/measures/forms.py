from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from confide.measures.instrument import Instrument

PREFIX = "item-"
# Centre distances of the two circles in each closeness picture (radius 30): apart,
# touching, then overlapping more and more until they are almost one.
CIRCLE_DISTANCES = (72, 60, 50, 40, 30, 18, 6)


@dataclass(frozen=True)
class Choice:
    value: int
    label: str
    left: float = 0  # centre of "you" in the closeness picture
    right: float = 0  # centre of "your partner"


@dataclass(frozen=True)
class Question:
    number: int
    name: str
    text: str
    choices: list[Choice]
    field: forms.BoundField


def _choices(instrument: Instrument) -> list[Choice]:
    pictures = instrument.widget == "circles" and len(instrument.points) == len(CIRCLE_DISTANCES)
    found = []
    for index, (value, label) in enumerate(instrument.points):
        half = CIRCLE_DISTANCES[index] / 2 if pictures else 0
        found.append(Choice(value, _(label), 70 - half, 70 + half))
    return found


class MeasureForm(forms.Form):
    """One radio group per item. Skipping is allowed here; how many is the scorer's rule."""

    def __init__(self, instrument: Instrument, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        choices = [(str(v), str(v)) for v, _label in instrument.points]
        for number, item in enumerate(instrument.items, start=1):
            message = _("Question %(n)d: choose one of the answers from %(low)d to %(high)d.") % {
                "n": number,
                "low": instrument.low,
                "high": instrument.high,
            }
            self.fields[PREFIX + item.id] = forms.ChoiceField(
                label=_(item.text),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": message},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unknown = [key for key in self.data if key.startswith(PREFIX) and key not in self.fields]
        if unknown:
            raise forms.ValidationError(
                gettext_lazy(
                    "One answer was for a question this measure does not have. Nothing was saved."
                )
            )
        return cleaned

    def answers(self) -> dict[str, object]:
        return {
            item.id: self.cleaned_data.get(PREFIX + item.id) or None
            for item in self.instrument.items
        }

    def questions(self) -> list[Question]:
        choices = _choices(self.instrument)
        return [
            Question(number, PREFIX + item.id, _(item.text), choices, self[PREFIX + item.id])
            for number, item in enumerate(self.instrument.items, start=1)
        ]


class SharingForm(forms.Form):
    shared = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": gettext_lazy("Choose whether to share your scores."),
            "invalid_choice": gettext_lazy("Choose whether to share your scores."),
        },
    )
