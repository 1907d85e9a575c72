from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import time_zone_choices
from confide.circles import content
from confide.circles.models import (
    MAX_ABOUT,
    MAX_AGENDA,
    MAX_CONTENT_NOTE,
    MAX_GOAL_NOTE,
    MAX_GUIDELINES,
    MAX_LOCATION,
    MAX_NAME,
    MAX_POST,
    MAX_PSEUDONYM,
    MAX_PURPOSE,
    MAX_RRULE,
    MAX_TAG,
    MAX_TITLE,
    ReactionKind,
    Rsvp,
)
from confide.circles.services.goals import MAX_AMOUNT, MAX_TARGET


def _limits(required: str | Promise | None = None) -> dict[str, Any]:
    messages: dict[str, Any] = {
        "max_length": _("Keep this to %(limit_value)d characters or fewer (it has %(show_value)d).")
    }
    if required:
        messages["required"] = required
    return messages


def _pseudonym_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your name in this circle"),
        max_length=MAX_PSEUDONYM,
        help_text=_(
            "Others here see only this name and what you write about yourself; never your "
            "account name or email. It can be a nickname."
        ),
        error_messages=_limits(_("Choose a name for this circle.")),
    )


class CircleForm(forms.Form):
    name = forms.CharField(
        label=_("Circle name"),
        max_length=MAX_NAME,
        error_messages=_limits(_("Give the circle a name.")),
    )
    purpose = forms.CharField(
        label=_("What the circle is for (optional)"),
        required=False,
        max_length=MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_limits(),
    )
    pseudonym = _pseudonym_field()
    guidelines = forms.CharField(
        label=_("Guidelines"),
        max_length=MAX_GUIDELINES,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("A starter text to begin with. Change it to fit your circle."),
        error_messages=_limits(_("A circle needs guidelines.")),
    )
    hold_first_posts = forms.BooleanField(
        label=_("Hold new members' first posts until a facilitator approves one"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guidelines"].initial = str(content.STARTER_GUIDELINES)


class JoinForm(forms.Form):
    pseudonym = _pseudonym_field()
    accept = forms.BooleanField(
        label=_("I have read the guidelines above and I accept them"),
        required=True,
        error_messages={"required": _("Accept the guidelines to join the circle.")},
    )


class RequestForm(forms.Form):
    pseudonym = _pseudonym_field()


class ProfileForm(forms.Form):
    pseudonym = _pseudonym_field()
    pronouns = forms.CharField(
        label=_("Pronouns (optional)"), required=False, max_length=MAX_TAG, error_messages=_limits()
    )
    background = forms.CharField(
        label=_("My background, in my words (optional)"),
        required=False,
        max_length=MAX_TAG,
        error_messages=_limits(),
    )
    brings = forms.CharField(
        label=_("What I bring (optional)"),
        required=False,
        max_length=MAX_TAG,
        error_messages=_limits(),
    )
    about = forms.CharField(
        label=_("About me (optional)"),
        required=False,
        max_length=MAX_ABOUT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_limits(),
    )


class GuidelinesForm(forms.Form):
    text = forms.CharField(
        label=_("New version of the guidelines"),
        max_length=MAX_GUIDELINES,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Publishing asks every member to read and accept the new version."),
        error_messages=_limits(_("The guidelines cannot be empty.")),
    )


class AcceptForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SettingsForm(forms.Form):
    hold_first_posts = forms.BooleanField(
        label=_("Hold new members' first posts until a facilitator approves one"),
        required=False,
    )


def _content_note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Content note (optional)"),
        required=False,
        max_length=MAX_CONTENT_NOTE,
        help_text=_(
            "If your post touches something that may be hard to read, name it here, for "
            "example “loss of a parent” or “relapse”. Your words are then folded away until "
            "someone chooses to open them."
        ),
        error_messages=_limits(),
    )


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages=_limits(_("Give your post a title.")),
    )
    content_note = _content_note_field()
    body = forms.CharField(
        label=_("Your post"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=_limits(_("Write your post before sending it.")),
    )


class ReplyForm(forms.Form):
    content_note = _content_note_field()
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_limits(_("Write your reply before sending it.")),
    )


# A reaction button's value: give or take back one reaction kind.
REACTION_BUTTONS = [f"{verb}:{kind}" for verb in ("give", "take") for kind in ReactionKind.values]


class ReactionForm(forms.Form):
    """One form per post: each reaction is a button whose value says what pressing it does,
    "give:<kind>" or "take:<kind>" (take back), so a post needs one form, not one per reaction.
    cleaned_data then holds `kind` and `on` (give or take back) as well."""

    reaction = forms.ChoiceField(
        choices=[(value, value) for value in REACTION_BUTTONS],
        error_messages={
            "required": _("Choose one of the listed reactions."),
            "invalid_choice": _("Choose one of the listed reactions."),
        },
    )
    # Checked by access_reply: an id of a reply the person may not see is a 404.
    reply = forms.CharField(required=False, max_length=64)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "reaction" in data:
            verb, _sep, kind = data["reaction"].partition(":")
            data["kind"], data["on"] = kind, verb == "give"
        return data


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        error_messages={"invalid_choice": _("Choose to approve or decline.")},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[("facilitator", _("facilitator")), ("member", _("member"))],
        error_messages={"invalid_choice": _("Choose facilitator or member.")},
    )


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("What we want to do together"),
        max_length=MAX_TITLE,
        error_messages=_limits(_("Say what the goal is.")),
    )
    due_on = forms.DateField(
        label=_("By when"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose a date."),
            "invalid": _("Enter a date like 2026-12-31."),
        },
    )
    target = forms.IntegerField(
        label=_("Target count (optional)"),
        required=False,
        min_value=1,
        max_value=MAX_TARGET,
        help_text=_(
            "For example 30 walks, or 100 kind messages. Leave empty for a goal without a count."
        ),
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("Choose a target of at least %(limit_value)s."),
            "max_value": _("Choose a target of at most %(limit_value)s."),
        },
    )


class ContributionForm(forms.Form):
    amount = forms.IntegerField(
        label=_("How many"),
        initial=1,
        min_value=1,
        max_value=MAX_AMOUNT,
        error_messages={
            "required": _("Say how many to add."),
            "invalid": _("Enter a whole number."),
            "min_value": _("Add at least %(limit_value)s."),
            "max_value": _("Add at most %(limit_value)s at a time."),
        },
    )
    note = forms.CharField(
        label=_("A short note (optional)"),
        required=False,
        max_length=MAX_GOAL_NOTE,
        error_messages=_limits(),
    )


REPEAT_PRESETS = [
    ("", _("Once, no repeat")),
    ("FREQ=WEEKLY", _("Every week")),
    ("FREQ=WEEKLY;INTERVAL=2", _("Every two weeks")),
    ("FREQ=MONTHLY", _("Every month, on the same date")),
    ("custom", _("Another rule (written below)")),
]


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages=_limits(_("Give the meeting a title.")),
    )
    start_date = forms.DateField(
        label=_("Date of the first meeting"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose a date."),
            "invalid": _("Enter a date like 2026-12-31."),
        },
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Choose a time."), "invalid": _("Enter a time like 19:30.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the date and time above"),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        initial=90,
        min_value=5,
        max_value=600,
        error_messages={
            "required": _("Say how long the meeting lasts."),
            "invalid": _("Enter a whole number of minutes."),
            "min_value": _("A meeting lasts at least %(limit_value)s minutes."),
            "max_value": _("A meeting lasts at most %(limit_value)s minutes."),
        },
    )
    repeat = forms.ChoiceField(
        label=_("Repeats"),
        choices=REPEAT_PRESETS,
        required=False,
        error_messages={"invalid_choice": _("Choose how the meeting repeats.")},
    )
    rrule = forms.CharField(
        label=_("Repeat rule (RFC 5545), if you chose another rule"),
        required=False,
        max_length=MAX_RRULE,
        help_text=_(
            "For example FREQ=WEEKLY;BYDAY=TH for every Thursday, or "
            "FREQ=MONTHLY;BYDAY=1MO;COUNT=10 for the first Monday of ten months. "
            "At most one meeting a day."
        ),
        error_messages=_limits(),
    )
    location = forms.CharField(
        label=_("Place or call link (optional)"),
        required=False,
        max_length=MAX_LOCATION,
        error_messages=_limits(),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=MAX_AGENDA,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages=_limits(),
    )

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = self.fields["time_zone"]
        assert isinstance(zones, forms.ChoiceField)  # noqa: S101 - for the type checker
        zones.choices = time_zone_choices()
        zones.initial = time_zone
        self.fields["agenda"].initial = str(content.AGENDA_TEMPLATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        repeat = data.get("repeat", "")
        if repeat == "custom":
            if not data.get("rrule", "").strip():
                self.add_error("rrule", _("Write the repeat rule, or choose one of the others."))
        else:
            data["rrule"] = repeat
        return data


class RsvpForm(forms.Form):
    occurrence = forms.DateTimeField(
        error_messages={"required": _("Choose a meeting."), "invalid": _("Choose a meeting.")}
    )
    answer = forms.ChoiceField(
        choices=Rsvp.Answer.choices,
        error_messages={"invalid_choice": _("Choose yes, maybe or no.")},
    )


class AttendanceForm(forms.Form):
    occurrence = forms.DateTimeField(
        error_messages={"required": _("Choose a meeting."), "invalid": _("Choose a meeting.")}
    )
    member = forms.UUIDField(
        error_messages={"required": _("Choose a member."), "invalid": _("Choose a member.")}
    )


class RatingForm(forms.Form):
    occurrence = forms.DateTimeField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a meeting."), "invalid": _("Choose a meeting.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in content.RATING_ITEMS:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=content.RATING_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Answer this statement."),
                    "invalid_choice": _("Choose a number from 1 to 5."),
                },
            )
