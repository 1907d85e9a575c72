"""The web side of the screening seam, shared by every app's form views: call the write service
(which screens the text it stores, once), then answer the person.

Harsh words bring the private coach first (nothing was saved); words of crisis or fear send the
writer, and only them, to support, where they choose what happens to what they wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from confide.accounts.models import User
from confide.safety.coach import Coaching
from confide.safety.services import CoachFirst, check_of, support_url


@dataclass
class Screened:
    """The outcome of a screened write: a response to return, or the coach to show first
    (both None when the service refused the write; its error is then on the form)."""

    response: HttpResponse | None = None
    coaching: Coaching | None = None


def write_screened(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[bool], object],
    *,
    person: User,
    where: str,
    done: str,
    next_url: str,
    pair_id: object = None,
    entry_kind: str = "",
) -> Screened:
    """`save(send_as_is)` calls one write service; a `ValidationError` it raises (the apps'
    own errors are ValidationErrors) goes on the form. `where` names the place for the audit
    log; `entry_kind` names what a crisis or fear finding kept private ("checkin"), so the
    support page can ask about it. No text is recorded anywhere."""
    try:
        entry = save(request.POST.get("send_as_is") == "1")
    except CoachFirst as held:
        return Screened(coaching=held.coaching)
    except ValidationError as error:
        form.add_error(None, error)
        return Screened()
    messages.success(request, done)
    url = support_url(
        check=check_of(entry),
        writer=person,
        next_url=next_url,
        where=where,
        pair_id=pair_id,
        entry=f"{entry_kind}:{getattr(entry, 'pk', '')}" if entry_kind else None,
    )
    return Screened(response=redirect(url or next_url))
