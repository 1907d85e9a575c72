"""Two-step login and one's signed-in sessions: thin views over twofactor.py and sessions.py."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from confide.accounts import throttle, twofactor
from confide.accounts.access import access_person
from confide.accounts.decorators import session_is_verified
from confide.accounts.forms import EnrolForm, SecondFactorDisableForm, SecondFactorForm
from confide.accounts.models import User
from confide.accounts.otp import key_for_reading, otpauth_uri, qr_svg_data_uri
from confide.accounts.sessions import (
    session_end,
    session_record_start,
    sessions_end_others,
    sessions_for,
)
from confide.accounts.twofactor import TwoFactorError
from confide.accounts.views import GET_POST, PENDING_KEY, complete_login, safe_next, too_many
from confide.core.realtime import session_key_hash

PENDING_SECONDS = 5 * 60
SESSIONS_SHOWN = 50


def _pending(request: HttpRequest) -> tuple[User, str | None] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not twofactor.has_second_factor(user):
        return None
    return user, pending.get("next") or None


def _check_code(
    request: HttpRequest, user: User, form: SecondFactorForm
) -> twofactor.Verified | None:
    """The code step shared by login and step-up: counted by the login throttle."""
    if not form.is_valid():
        return None
    try:
        verified = twofactor.second_factor_check(user=user, code=form.cleaned_data["code"])
    except TwoFactorError as error:
        throttle.record_failure(request, user.email)
        form.add_error("code", error)
        return None
    if verified.by_recovery_code:
        left = twofactor.recovery_codes_left(user)
        messages.warning(
            request,
            ngettext(
                "You used a recovery code. %(left)d is left; you can make new ones on the "
                "two-step login page.",
                "You used a recovery code. %(left)d are left; you can make new ones on the "
                "two-step login page.",
                left,
            )
            % {"left": left},
        )
    return verified


@require_http_methods(GET_POST)
def login_code(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    pending = _pending(request)
    if pending is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Please log in again: the code step waits five minutes only."))
        return redirect("accounts:login")
    user, next_url = pending
    form = SecondFactorForm(request.POST or None)
    template = "accounts/login_code.html"
    if request.method == "POST":
        wait = throttle.retry_after(request, user.email)
        if wait:
            return too_many(request, template, form, wait)
        verified = _check_code(request, user, form)
        if verified is not None:
            del request.session[PENDING_KEY]
            response = complete_login(request, user, next_url)
            otp_login(request, verified.device)
            return response
    return render(request, template, {"form": form})


@login_required
@require_http_methods(GET_POST)
def two_factor(request: HttpRequest) -> HttpResponse:
    """Two-step login: its state and how to turn it off, or how to turn it on."""
    person = access_person(request)
    next_url = safe_next(request) or ""
    if twofactor.has_second_factor(person):
        return _render_enabled(request, person)
    device = twofactor.totp_device_pending(user=person)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = twofactor.totp_enrol_confirm(
                user=person, code=form.cleaned_data["code"]
            )
        except TwoFactorError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
    uri = otpauth_uri(key_hex=device.key, account=person.email)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr": qr_svg_data_uri(uri),
            "key": key_for_reading(device.key),
            "next": next_url,
            "required": twofactor.second_factor_required(person),
        },
    )


def _enabled_context(
    request: HttpRequest,
    person: User,
    *,
    disable_form: SecondFactorDisableForm | None = None,
    renew_form: SecondFactorForm | None = None,
) -> dict[str, object]:
    return {
        "left": twofactor.recovery_codes_left(person),
        "verified": session_is_verified(request),
        "required": twofactor.second_factor_required(person),
        "disable_form": disable_form or SecondFactorDisableForm(),
        "renew_form": renew_form or SecondFactorForm(prefix="renew"),
    }


def _render_enabled(
    request: HttpRequest,
    person: User,
    *,
    disable_form: SecondFactorDisableForm | None = None,
    renew_form: SecondFactorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _enabled_context(request, person, disable_form=disable_form, renew_form=renew_form)
    return render(request, "accounts/two_factor.html", context, status=status)


@login_required
@require_http_methods(GET_POST)
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step for a session that is signed in but has not given a code (it began before
    two-step login was turned on, elsewhere), when a page needs one."""
    person = access_person(request)
    next_url = safe_next(request)
    if not twofactor.has_second_factor(person):
        return redirect("accounts:two_factor")
    if session_is_verified(request):
        return redirect(next_url or "accounts:two_factor")
    form = SecondFactorForm(request.POST or None)
    template = "accounts/two_factor_verify.html"
    if request.method == "POST":
        wait = throttle.retry_after(request, person.email)
        if wait:
            return too_many(request, template, form, wait)
        verified = _check_code(request, person, form)
        if verified is not None:
            otp_login(request, verified.device)
            return redirect(next_url or "accounts:two_factor")
    return render(request, template, {"form": form, "next": next_url or ""})


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    form = SecondFactorDisableForm(request.POST)
    wait = throttle.retry_after(request, person.email)
    if wait:
        extra = _enabled_context(request, person, disable_form=form)
        return too_many(request, "accounts/two_factor.html", form, wait, extra)
    if form.is_valid():
        try:
            twofactor.second_factor_disable(
                user=person,
                password=form.cleaned_data["current_password"],
                code=form.cleaned_data["code"],
            )
        except TwoFactorError as error:
            throttle.record_failure(request, person.email)
            form.add_error(None, error)
        else:
            messages.success(request, _("Two-step login is off."))
            return redirect("accounts:two_factor")
    if not twofactor.has_second_factor(person):
        return redirect("accounts:two_factor")
    return _render_enabled(request, person, disable_form=form, status=400)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, for a current code; shown once."""
    person = access_person(request)
    if not twofactor.has_second_factor(person):
        return redirect("accounts:two_factor")
    form = SecondFactorForm(request.POST, prefix="renew")
    wait = throttle.retry_after(request, person.email)
    if wait:
        extra = _enabled_context(request, person, renew_form=form)
        return too_many(request, "accounts/two_factor.html", form, wait, extra)
    if form.is_valid():
        try:
            codes = twofactor.recovery_codes_renew(user=person, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            throttle.record_failure(request, person.email)
            form.add_error("code", error)
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": ""})
    return _render_enabled(request, person, renew_form=form, status=400)


def _current_hash(request: HttpRequest) -> str:
    key = request.session.session_key
    return session_key_hash(key) if key else ""


@login_required
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    current = _current_hash(request)
    if current and not any(r.key_hash == current for r in sessions_for(user=person)):
        session_record_start(request, person)
    records = list(sessions_for(user=person)[:SESSIONS_SHOWN])
    return render(request, "accounts/sessions.html", {"records": records, "current": current})


@login_required
@require_POST
def session_end_view(request: HttpRequest, record_id: int) -> HttpResponse:
    person = access_person(request)
    if not session_end(user=person, record_id=record_id, current_key_hash=_current_hash(request)):
        raise Http404
    messages.success(request, _("That session is logged out."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_end_others_view(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    ended = sessions_end_others(user=person, current_key_hash=_current_hash(request))
    messages.success(
        request,
        ngettext(
            "%(count)d other session is logged out.",
            "%(count)d other sessions are logged out.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("accounts:sessions")
