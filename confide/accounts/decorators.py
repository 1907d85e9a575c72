"""`require_second_factor`: the one gate in front of every page that shows other people's data
to someone in a role (facilitator, counsellor, operator). Put it under `@login_required`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.accounts.twofactor import has_second_factor, second_factor_required

View = Callable[..., HttpResponse]


def session_is_verified(request: HttpRequest) -> bool:
    """Did this session pass a second factor? (django-otp's middleware sets is_verified.)"""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _second_step(request: HttpRequest, user: User) -> HttpResponse:
    # After the second step a GET page is opened again; a form post cannot be replayed, so the
    # person starts again from the page that held the form.
    query = f"?{urlencode({'next': request.get_full_path()})}" if request.method == "GET" else ""
    if has_second_factor(user):
        messages.info(
            request, _("Please enter a code from your authenticator app to open this page.")
        )
        return redirect(reverse("accounts:two_factor_verify") + query)
    messages.info(
        request,
        _(
            "Facilitators, counsellors and operators see what other people shared, so their "
            "accounts need two-step login. Set it up here; then the page opens."
        ),
    )
    return redirect(reverse("accounts:two_factor") + query)


def require_second_factor(view: View) -> View:
    """People whose role requires two-step login reach the view only from a session that has
    passed it; others (who the view itself will refuse or serve) pass through untouched."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not session_is_verified(request)
            and second_factor_required(user)
        ):
            return _second_step(request, user)
        return view(request, *args, **kwargs)

    return wrapped
