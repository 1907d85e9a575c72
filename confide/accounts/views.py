from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts import services, throttle
from confide.accounts.access import access_person
from confide.accounts.forms import (
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    SetPasswordForm,
    SignupForm,
)
from confide.accounts.models import EmailToken, User
from confide.accounts.sessions import session_record_start
from confide.accounts.tokens import TokenError, email_token_check
from confide.accounts.twofactor import has_second_factor
from confide.core.audit import audit_log
from confide.core.middleware import LOGIN_AT_KEY

GET_POST = ["GET", "POST"]


def too_many(
    request: HttpRequest,
    template: str,
    form: object,
    wait: int,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    minutes = max(1, (wait + 59) // 60)
    message = _(
        "Too many attempts from here. For your safety, please wait %(minutes)d minutes "
        "and try again."
    ) % {"minutes": minutes}
    context = {**(extra or {}), "form": form, "throttled": message}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(GET_POST)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        wait = throttle.retry_after(request, "", scope="signup")
        if wait:
            return too_many(request, "accounts/signup.html", form, wait)
        if form.is_valid():
            throttle.record_failure(request, "", scope="signup")  # counts sends, not failures
            services.account_signup(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data["time_zone"],
            )
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


@require_http_methods(GET_POST)
def verify(request: HttpRequest, token: str) -> HttpResponse:
    # A GET only shows a button: mail scanners that open links must not use up the token.
    if request.method == "POST":
        try:
            services.email_verify(raw_token=token)
        except TokenError as error:
            return render(
                request, "accounts/token_invalid.html", {"reason": str(error)}, status=400
            )
        messages.success(request, _("Thank you, your email address is confirmed."))
        return redirect("core:home" if request.user.is_authenticated else "accounts:login")
    try:
        email_token_check(raw=token, purpose=EmailToken.Purpose.VERIFY)
    except TokenError as error:
        return render(request, "accounts/token_invalid.html", {"reason": str(error)}, status=400)
    return render(request, "accounts/verify.html")


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    # A path only: redirect() would take a bare word like "0" for a view name (a server error).
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


@require_http_methods(GET_POST)
def login_view(request: HttpRequest) -> HttpResponse:  # noqa: PLR0911 - one exit per outcome
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request.POST or None)
    context: dict[str, object] = {"form": form, "next": safe_next(request) or ""}
    if request.method != "POST":
        return render(request, "accounts/login.html", context)
    email = request.POST.get("email", "").strip().lower()[:254]
    wait = throttle.retry_after(request, email)
    if wait:
        return too_many(request, "accounts/login.html", form, wait)
    if not form.is_valid():
        return render(request, "accounts/login.html", context)
    user = authenticate(
        request,
        username=form.cleaned_data["email"].strip().lower(),
        password=form.cleaned_data["password"],
    )
    if user is None:
        throttle.record_failure(request, email)
        form.add_error(None, _("That email address and password do not match an account."))
        return render(request, "accounts/login.html", context)
    if not isinstance(user, User):
        raise PermissionDenied
    if not user.email_verified:
        services.verification_resend(user=user)
        context["unverified"] = True
        return render(request, "accounts/login.html", context)
    if has_second_factor(user):
        return login_pending_start(request, user, safe_next(request))
    return complete_login(request, user, safe_next(request))


PENDING_KEY = "confide_login_pending"


def login_pending_start(request: HttpRequest, user: User, next_url: str | None) -> HttpResponse:
    """The password was right and the person has two-step login: ask for the code next. Until
    then the session is not signed in; it only remembers who is halfway (views_security.py
    gives it five minutes)."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "at": time.time(), "next": next_url or ""}
    return redirect("accounts:login_code")


def complete_login(request: HttpRequest, user: User, next_url: str | None) -> HttpResponse:
    """Sign the person in, after the password and, when they have one, the second factor."""
    throttle.record_success(request, user.email)
    login(request, user)
    request.session[LOGIN_AT_KEY] = time.time()
    audit_log(actor=user, action="accounts.login", target=user)
    response = redirect(next_url or settings.LOGIN_REDIRECT_URL)
    throttle.remember_device(request, response, user.email)
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_log(actor=request.user, action="accounts.logout", target=request.user)
    logout(request)
    response = redirect("core:home")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_http_methods(GET_POST)
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST":
        wait = throttle.retry_after(request, "", scope="reset")
        if wait:
            return too_many(request, "accounts/password_reset.html", form, wait)
        if form.is_valid():
            throttle.record_failure(request, "", scope="reset")
            services.password_reset_request(email=form.cleaned_data["email"])
            return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


def _reset_user(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@require_http_methods(GET_POST)
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _reset_user(uidb64, token)
    if user is None:
        reason = _(
            "This reset link has expired or has already been used. You can ask for a new one."
        )
        return render(request, "accounts/token_invalid.html", {"reason": reason}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=user, new_password=form.cleaned_data["password1"], via_reset=True
        )
        messages.success(request, _("Your password is set. You can log in with it now."))
        return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


@login_required
@require_http_methods(GET_POST)
def account_settings(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    user = User.objects.get(pk=person.pk)  # a fresh copy: a failed form changes nothing
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=person,
            display_name=form.cleaned_data["display_name"],
            time_zone=form.cleaned_data["time_zone"],
            locale=form.cleaned_data["locale"],
            country=form.cleaned_data.get("country", ""),
        )
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "two_factor_on": has_second_factor(person)},
    )


@login_required
@require_http_methods(GET_POST)
def password_change_view(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    form = PasswordChangeForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.password_change(user=person, new_password=form.cleaned_data["password1"])
        update_session_auth_hash(request, user)  # this session stays; every other one ends
        session_record_start(request, user)  # under its new key
        messages.success(request, _("Your password is changed. Other sessions were logged out."))
        return redirect("accounts:settings")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_http_methods(GET_POST)
def email_change(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    form = EmailChangeForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.email_change_request(user=person, new_email=form.cleaned_data["new_email"])
        messages.success(
            request,
            _("We sent a link to the new address. Your email changes when you open it."),
        )
        return redirect("accounts:settings")
    return render(request, "accounts/email_change.html", {"form": form})


@require_http_methods(GET_POST)
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            services.email_change_confirm(raw_token=token)
        except TokenError as error:
            return render(
                request, "accounts/token_invalid.html", {"reason": str(error)}, status=400
            )
        messages.success(request, _("Your new email address is confirmed."))
        return redirect("accounts:settings" if request.user.is_authenticated else "accounts:login")
    try:
        email_token_check(raw=token, purpose=EmailToken.Purpose.CHANGE)
    except TokenError as error:
        return render(request, "accounts/token_invalid.html", {"reason": str(error)}, status=400)
    return render(request, "accounts/email_confirm.html")
