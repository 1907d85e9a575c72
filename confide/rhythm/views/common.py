from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.rhythm.services import RhythmError

GET_POST = ["GET", "POST"]


def partner_in(pair: Pair, person: User) -> User | None:
    """From the members `access_pair` already fetched: no query."""
    return next((m.user for m in pair.members.all() if m.user_id != person.pk), None)


def pair_context(pair: Pair, person: User, **extra: Any) -> dict[str, Any]:
    return {"pair": pair, "partner": partner_in(pair, person), **extra}


def safe_next(request: HttpRequest, target: str | None, fallback: str) -> str:
    # A path only: redirect() would take a bare word like "0" for a view name (a server error).
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return fallback


def form_error(form: forms.Form, error: RhythmError) -> None:
    form.add_error(None, error)
