from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.care.models import MAX_NOTE, MAX_REASON, HomeworkKind, Scope


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

    def __init__(
        self,
        *args: Any,
        targets: list[tuple[str, Any]],
        kinds: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """`kinds`: the kinds to offer (those every client's consent covers); all when None,
        so a submitted kind reaches the service, which refuses it with the reason."""
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in HomeworkKind.choices if value in kinds
            ]
        gestures = kinds is None or HomeworkKind.GESTURES in kinds
        blank = _("(not needed for a gesture week)") if gestures else _("(choose one)")
        self.fields["target"].choices = [("", blank), *targets]  # type: ignore[attr-defined]


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
    reason = forms.CharField(
        label=_("Reason for declining (optional)"),
        help_text=_("Only the applicant reads it, on their application page; never by email."),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you withdraw the verification"),
        help_text=_(
            "Only the counsellor reads it, on their application page; it is never in a "
            "notification or an email."
        ),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
