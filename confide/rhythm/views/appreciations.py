from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.models import User
from confide.pairs.access import access_pair
from confide.pairs.models import Pair
from confide.pairs.services.common import today_for
from confide.rhythm import selectors
from confide.rhythm.access import access_appreciation
from confide.rhythm.days import parse_week, week_start
from confide.rhythm.forms import AppreciationForm
from confide.rhythm.services import RhythmError
from confide.rhythm.services.appreciations import appreciation_create, appreciation_thank
from confide.rhythm.views.common import GET_POST, pair_context
from confide.safety.coach import Coaching
from confide.safety.web import write_screened


def _render(
    request: HttpRequest,
    pair: Pair,
    person: User,
    *,
    start: date,
    form: AppreciationForm | None = None,
    coaching: Coaching | None = None,
) -> HttpResponse:
    today = today_for(person)
    this_week = week_start(today)
    entries = selectors.appreciations_in_week(pair=pair, viewer=person, start=start)
    context = pair_context(
        pair,
        person,
        entries=entries,
        mine=[a for a in entries if a.author_id == person.pk],
        theirs=[a for a in entries if a.author_id != person.pk],
        week=start,
        week_end=start + timedelta(days=6),
        previous_week=start - timedelta(weeks=1),
        next_week=start + timedelta(weeks=1) if start < this_week else None,
        is_this_week=start == this_week,
        form=form or (AppreciationForm() if pair.is_active else None),
        coaching=coaching,
    )
    status = 400 if form is not None and form.errors else 200
    return render(request, "rhythm/appreciations.html", context, status=status)


@login_required
@require_http_methods(GET_POST)
def appreciations(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    today = today_for(person)
    if request.method != "POST":
        pair = access_pair(person, pair_id)
        start = parse_week(request.GET.get("week"), today=today)
        return _render(request, pair, person, start=start)
    pair = access_pair(person, pair_id, for_write=True)
    form = AppreciationForm(request.POST)
    coaching = None
    if form.is_valid():
        text = form.cleaned_data["text"]
        outcome = write_screened(
            request,
            form,
            lambda send_as_is: appreciation_create(
                pair=pair, author=person, text=text, send_as_is=send_as_is
            ),
            person=person,
            pair_id=pair.pk,
            where="rhythm.appreciation",
            done=_("Saved. Your partner will hear that you appreciated something."),
            next_url=reverse("rhythm:appreciations", args=[pair.pk]),
            entry_kind="appreciation",
        )
        if outcome.response is not None:
            return outcome.response
        coaching = outcome.coaching
    return _render(request, pair, person, start=week_start(today), form=form, coaching=coaching)


@login_required
@require_POST
def thanks(request: HttpRequest, pair_id: uuid.UUID, appreciation_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    appreciation = access_appreciation(person, pair, appreciation_id)
    try:
        appreciation_thank(appreciation=appreciation, user=person)
    except RhythmError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your thanks are sent."))
    url = reverse("rhythm:appreciations", args=[pair.pk])
    return redirect(f"{url}?week={appreciation.day.isoformat()}")
