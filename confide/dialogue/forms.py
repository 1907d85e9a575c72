from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.dialogue.machine import MAX_TURN, MoveKind
from confide.dialogue.models import MAX_STARTUP, MAX_TITLE, Topic

UNDERSTOOD_CHOICES = [
    (1, _("1 · not understood")),
    (2, _("2 · a little")),
    (3, _("3 · partly")),
    (4, _("4 · mostly")),
    (5, _("5 · completely")),
]


class MoveForm(forms.Form):
    move = forms.ChoiceField(
        choices=[(k.value, k.value) for k in MoveKind],
        error_messages={"invalid_choice": _("That is not a step of this conversation.")},
    )
    text = forms.CharField(
        label=_("Your words"),
        required=False,
        max_length=MAX_TURN,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TURN}),
        error_messages={
            "max_length": _(
                "Keep a turn to %(limit_value)d characters or fewer; say the rest next."
            )
        },
    )
    last_seen = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=1, max_value=120)


class ReflectForm(forms.Form):
    understood = forms.TypedChoiceField(
        label=_("How understood did you feel in this conversation?"),
        choices=UNDERSTOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a number from 1 to 5.")},
    )


class TranscriptForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("keep", _("Keep")),
            ("request_delete", _("Ask to delete")),
            ("withdraw_delete", _("Withdraw my request")),
            ("confirm_delete", _("Agree to delete")),
        ],
        error_messages={
            "invalid_choice": _("Choose to keep the transcript or to ask to delete it.")
        },
    )


class StartForm(forms.Form):
    topic = forms.UUIDField(required=False, widget=forms.HiddenInput)


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=MAX_TITLE,
        help_text=_("A few words, e.g. “Evenings with our phones”."),
        error_messages={"required": _("Give the topic a short title.")},
    )
    startup = forms.CharField(
        label=_("How I'd like to start (gentle start-up)"),
        required=False,
        max_length=MAX_STARTUP,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Start with yourself and what you need, not with blame: “I feel lonely when our "
            "evenings go to screens; I'd love twenty minutes just for us.”"
        ),
    )


class TopicStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Where this topic stands"),
        choices=Topic.Status.choices,
        error_messages={"invalid_choice": _("Choose one of the listed states.")},
    )
