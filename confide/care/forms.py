from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.care.models import MAX_NOTE, HomeworkKind, Scope


class ApplyForm(forms.Form):
    name = forms.CharField(label=_("Your name as clients know it"), max_length=120)
    credentials = forms.CharField(
        label=_("Your credentials"),
        max_length=300,
        help_text=_("Qualifications and registrations an operator can check."),
    )
    practice = forms.CharField(label=_("Your practice"), max_length=200)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("The counsellor's email address"))
    pair = forms.ChoiceField(label=_("For"))

    def __init__(self, *args: Any, pairs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pair"].choices = [("", _("Just me")), *pairs]  # type: ignore[attr-defined]
        self.fields["pair"].required = False


class ConsentForm(forms.Form):
    # Whose consent this is: always the person posting it; another id is refused by the service.
    person = forms.IntegerField(widget=forms.HiddenInput)
    scope = forms.TypedChoiceField(
        label=_("What this counsellor may see of you"),
        choices=Scope.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    until = forms.DateField(
        label=_("Until (the last day; leave empty for no end date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class HomeworkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Exercise"), choices=HomeworkKind.choices)
    target = forms.ChoiceField(label=_("Which one"), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            ("", _("(not needed for a gesture week)")),
            *targets,
        ]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("A note for yourself"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", _("Verify")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
