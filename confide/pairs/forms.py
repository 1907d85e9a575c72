from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.pairs import content
from confide.pairs.models import MAX_ANSWER, MAX_NOTE, MAX_REPLY, ReplyKind, Visibility

MOOD_CHOICES = [
    (1, _("1 · very low")),
    (2, _("2 · low")),
    (3, _("3 · in between")),
    (4, _("4 · good")),
    (5, _("5 · very good")),
]
RATING_CHOICES = [
    (1, _("1 · not understood")),
    (2, _("2 · a little")),
    (3, _("3 · partly")),
    (4, _("4 · mostly")),
    (5, _("5 · completely")),
]


def _grouped(groups: tuple[content.WordGroup, ...]) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(group.label, [(w, w) for w in group.words]) for group in groups]


def _too_long(limit: int) -> dict[str, Any]:
    return {"max_length": _("Keep this to %(limit_value)d characters or fewer.")}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address (optional)"),
        required=False,
        max_length=254,
        help_text=_(
            "If you enter it, we email them the link. Otherwise, send the link yourself, "
            "however you like."
        ),
        error_messages={"invalid": _("Enter an email address like name@example.org.")},
    )


class CheckInForm(forms.Form):
    mood = forms.TypedChoiceField(
        label=_("How are you, overall?"),
        choices=MOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a mood from 1 to 5.")},
    )
    feelings = forms.MultipleChoiceField(
        label=_("Feelings"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose any that fit right now."),
        error_messages={"invalid_choice": _("“%(value)s” is not one of the listed feelings.")},
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What would help?"),
        error_messages={"invalid_choice": _("“%(value)s” is not one of the listed needs.")},
    )
    note = forms.CharField(
        label=_("Anything you want to add (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_too_long(MAX_NOTE),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this?"),
        choices=Visibility.choices,
        initial=Visibility.SHARED,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who may see this check-in.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        feelings = self.fields["feelings"]
        needs = self.fields["needs"]
        assert isinstance(feelings, forms.MultipleChoiceField)  # noqa: S101 - for the type checker
        assert isinstance(needs, forms.MultipleChoiceField)  # noqa: S101
        feelings.choices = _grouped(content.feeling_groups())
        needs.choices = _grouped(content.need_groups())


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How do you want to answer?"),
        choices=ReplyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose how you want to reply.")},
    )
    text = forms.CharField(
        label=_("Your words"),
        required=False,
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Finish the sentence you chose: its opening words are put before yours, so there "
            "is no need to type them. Not needed for the acknowledgement."
        ),
        error_messages=_too_long(MAX_REPLY),
    )


class UnderstoodForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How understood did you feel?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a number from 1 to 5.")},
    )


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How deep are you willing to go?"),
        choices=[(level, label) for level, label in content.LEVEL_LABELS.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose level 1, 2 or 3.")},
    )


class DrawForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[(level, label) for level, label in content.LEVEL_LABELS.items()],
        coerce=int,
        error_messages={"invalid_choice": _("Choose level 1, 2 or 3.")},
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your partner sees it only when they have answered too."),
        error_messages={
            **_too_long(MAX_ANSWER),
            "required": _("Write your answer before sending it."),
        },
    )
