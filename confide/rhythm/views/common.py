from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.rhythm.services import RhythmError
from confide.safety.coach import Coaching
from confide.safety.services import CoachFirst, check_of, support_url

GET_POST = ["GET", "POST"]


def partner_in(pair: Pair, person: User) -> User | None:
    """From the members `access_pair` already fetched: no query."""
    return next((m.user for m in pair.members.all() if m.user_id != person.pk), None)


def pair_context(pair: Pair, person: User, **extra: Any) -> dict[str, Any]:
    return {"pair": pair, "partner": partner_in(pair, person), **extra}


def safe_next(request: HttpRequest, target: str | None, fallback: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def form_error(form: forms.Form, error: RhythmError) -> None:
    form.add_error(None, error)


@dataclass
class Screened:
    """The outcome of a screened write: a response to return, or the coach to show first."""

    response: HttpResponse | None = None
    coaching: Coaching | None = None


def write_screened(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[bool], object],
    *,
    person: User,
    pair: Pair,
    where: str,
    done: str,
    next_url: str,
    entry_kind: str = "",
) -> Screened:
    """Call the write service (which screens the text it stores, once), then answer.

    Harsh words bring the private coach first; words of crisis or fear send the writer (only
    them) to support, where they choose what happens to what they wrote. `where` names the
    place for the audit log; no text is recorded.
    """
    try:
        entry = save(request.POST.get("send_as_is") == "1")
    except CoachFirst as held:
        return Screened(coaching=held.coaching)
    except RhythmError as error:
        form_error(form, error)
        return Screened()
    messages.success(request, done)
    url = support_url(
        check=check_of(entry),
        writer=person,
        next_url=next_url,
        where=where,
        pair_id=pair.pk,
        entry=f"{entry_kind}:{getattr(entry, 'pk', '')}" if entry_kind else None,
    )
    return Screened(response=redirect(url or next_url))
