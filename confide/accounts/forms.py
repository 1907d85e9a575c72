from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from confide.accounts.models import MAX_DISPLAY_NAME, User, time_zone_choices
from confide.safety.resources import country_choices

MAX_PASSWORD = 256


def _password_field(
    label: StrOrPromise, *, autocomplete: str, help_text: StrOrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_PASSWORD,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"max_length": _("Use at most %(limit_value)d characters.")},
    )


def _email_field(label: StrOrPromise, *, autocomplete: str = "email") -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete}),
        error_messages={
            "invalid": _("Enter an email address like name@example.org."),
            "max_length": _("An email address can have at most %(limit_value)d characters."),
        },
    )


NEW_PASSWORD_HELP = _("At least 10 characters. Not a common password, and not only digits.")


class NewPasswordMixin(forms.Form):
    """Two new-password fields that must match and pass the password rules."""

    password_owner: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match. Type them again."))
        elif first:
            owner = self.password_owner or User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(first, owner)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignupForm(NewPasswordMixin):
    display_name = forms.CharField(
        label=_("Your name, as others will see it"),
        max_length=MAX_DISPLAY_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = _email_field(_("Email address"))
    password1 = _password_field(
        _("Password"), autocomplete="new-password", help_text=NEW_PASSWORD_HELP
    )
    password2 = _password_field(_("Password again"), autocomplete="new-password")
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=time_zone_choices,
        initial="UTC",
        required=False,  # UTC when left out
        help_text=_(
            "Reminders and meeting times use it. If your browser tells us its time zone, it is "
            "chosen for you; you can change it here or later in your account."
        ),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
        widget=forms.Select(attrs={"data-browser-time-zone": "", "autocomplete": "off"}),
    )

    def clean_time_zone(self) -> str:
        return self.cleaned_data.get("time_zone") or "UTC"


class LoginForm(forms.Form):
    email = _email_field(_("Email address"), autocomplete="username")
    password = _password_field(_("Password"), autocomplete="current-password")


class PasswordResetRequestForm(forms.Form):
    email = _email_field(_("Email address"))


class SetPasswordForm(NewPasswordMixin):
    password1 = _password_field(
        _("New password"), autocomplete="new-password", help_text=NEW_PASSWORD_HELP
    )
    password2 = _password_field(_("New password again"), autocomplete="new-password")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.password_owner = user


class PasswordChangeForm(SetPasswordForm):
    current_password = _password_field(_("Current password"), autocomplete="current-password")
    field_order = ("current_password", "password1", "password2")

    def clean_current_password(self) -> str:
        value = self.cleaned_data["current_password"]
        if self.password_owner is None or not self.password_owner.check_password(value):
            raise forms.ValidationError(_("That is not your current password."))
        return value


class EmailChangeForm(forms.Form):
    new_email = _email_field(_("New email address"))
    current_password = _password_field(_("Current password"), autocomplete="current-password")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_email(self) -> str:
        value = self.cleaned_data["new_email"].strip().lower()
        if value == self.user.email:
            raise forms.ValidationError(_("This is already your email address."))
        return value

    def clean_current_password(self) -> str:
        value = self.cleaned_data["current_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("That is not your current password."))
        return value


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    locale = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        required=False,
        help_text=_("Used to show crisis lines near you first. Optional."),
    )

    class Meta:
        model = User
        fields = ("display_name", "time_zone", "locale", "country")
        labels = {"display_name": _("Your name, as others will see it")}


MAX_CODE = 40


def _code_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_CODE,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Type the code."),
            "max_length": _("A code has at most %(limit_value)d characters."),
        },
    )


class SecondFactorForm(forms.Form):
    code = _code_field(
        _("Code"),
        _("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
    )


class EnrolForm(forms.Form):
    code = _code_field(_("6-digit code from the app"))


class SecondFactorDisableForm(forms.Form):
    current_password = _password_field(_("Current password"), autocomplete="current-password")
    code = _code_field(_("Code"), _("From your authenticator app, or a recovery code."))
