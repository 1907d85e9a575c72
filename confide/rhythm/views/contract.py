from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.models import User
from confide.pairs.access import access_pair
from confide.pairs.models import Pair
from confide.pairs.services.common import today_for
from confide.rhythm import selectors
from confide.rhythm.access import access_lapse_note
from confide.rhythm.days import next_month, parse_month, previous_month
from confide.rhythm.forms import ConsentForm, DayForm, IntentionForm, LapseForm
from confide.rhythm.services import RhythmError
from confide.rhythm.services.contract import (
    contract_consent_set,
    intention_acknowledge,
    intention_state,
    lapse_note_add,
    lapse_note_delete,
)
from confide.rhythm.views.common import GET_POST, form_error, pair_context
from confide.safety.coach import Coaching
from confide.safety.web import write_screened


def _render(
    request: HttpRequest,
    pair: Pair,
    person: User,
    *,
    coaching: Coaching | None = None,
    status: int = 200,
    **forms_: forms.Form,
) -> HttpResponse:
    today = today_for(person)
    found = selectors.consents(pair=pair)
    on = selectors.contract_on(pair=pair, found=found)
    entry = selectors.contract_today(pair=pair, viewer=person, today=today)
    if (
        entry is not None
        and not pair.is_active
        and person.pk
        not in {
            entry.stated_by_id,
            entry.acknowledged_by_id,
        }
    ):
        entry = None
    first = parse_month(request.GET.get("month"), today=today)
    since = selectors.contract_since(pair=pair, found=found)
    context: dict[str, Any] = pair_context(
        pair,
        person,
        on=on,
        paused=pair.joint_paused,
        i_consent=person.pk in found,
        partner_consents=any(pk != person.pk for pk in found),
        today=today,
        entry=entry,
        held=selectors.own_held_intentions(pair=pair, viewer=person, today=today),
        can_state=on and pair.is_active and not pair.joint_paused and entry is None,
        can_acknowledge=on
        and not pair.joint_paused
        and entry is not None
        and entry.acknowledged_at is None
        and entry.stated_by_id != person.pk,
        intention_form=forms_.get("intention_form") or IntentionForm(initial={"day": today}),
        problem=forms_.get("problem_form"),
        coaching=coaching,
        month=first,
        weeks=selectors.contract_month(
            pair=pair,
            viewer=person,
            first=first,
            today=today,
            since=since,
        ),
        since=since,
        previous_month=previous_month(first),
        next_month=next_month(first) if first < today.replace(day=1) else None,
    )
    return render(request, "rhythm/contract.html", context, status=status)


def _back(pair: Pair) -> HttpResponse:
    return redirect("rhythm:contract", pair.pk)


@login_required
@require_GET
def contract(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    return _render(request, access_pair(person, pair_id), person)


@login_required
@require_POST
def consent(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _render(request, pair, person, status=400, problem_form=form)
    wanted = form.cleaned_data["consent"] == "yes"
    try:
        on = contract_consent_set(pair=pair, person=person, consent=wanted)
    except RhythmError as error:
        form_error(form, error)
        return _render(request, pair, person, status=400, problem_form=form)
    if not wanted:
        messages.success(request, _("You have opted out. The contract has stopped for you both."))
    elif on:
        messages.success(request, _("You have both opted in. The contract starts today."))
    else:
        messages.success(request, _("You have opted in. It starts if your partner opts in too."))
    return _back(pair)


@login_required
@require_POST
def intention(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = IntentionForm(request.POST)
    coaching = None
    if form.is_valid():
        data = form.cleaned_data
        outcome = write_screened(
            request,
            form,
            lambda send_as_is: intention_state(
                pair=pair,
                person=person,
                day=data["day"],
                intention=data["intention"],
                send_as_is=send_as_is,
            ),
            person=person,
            pair_id=pair.pk,
            where="rhythm.intention",
            done=_("Your intention for today is stated."),
            next_url=reverse("rhythm:contract", args=[pair.pk]),
            entry_kind="intention",
        )
        if outcome.response is not None:
            return outcome.response
        coaching = outcome.coaching
    status = 200 if coaching is not None else 400
    return _render(request, pair, person, coaching=coaching, status=status, intention_form=form)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = DayForm(request.POST)
    if form.is_valid():
        try:
            intention_acknowledge(pair=pair, person=person, day=form.cleaned_data["day"])
        except RhythmError as error:
            form_error(form, error)
        else:
            messages.success(request, _("You acknowledged their intention. Today is kept."))
            return _back(pair)
    return _render(request, pair, person, status=400, problem_form=form)


def _render_lapse(
    request: HttpRequest, pair: Pair, person: User, form: LapseForm, status: int = 200
) -> HttpResponse:
    context = pair_context(
        pair,
        person,
        form=form,
        notes=selectors.lapse_notes(pair=pair, viewer=person, page=request.GET.get("page")),
    )
    return render(request, "rhythm/lapse.html", context, status=status)


@login_required
@require_http_methods(GET_POST)
def lapse(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    if request.method != "POST":
        pair = access_pair(person, pair_id)
        form = LapseForm(initial={"day": today_for(person)})
        return _render_lapse(request, pair, person, form)
    pair = access_pair(person, pair_id, for_write=True)
    form = LapseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        outcome = write_screened(
            request,
            form,
            lambda _send_as_is: lapse_note_add(
                pair=pair, author=person, day=data["day"], note=data["note"]
            ),
            person=person,
            pair_id=pair.pk,
            where="rhythm.lapse",
            done=_("Noted, privately. Only you can see it."),
            next_url=reverse("rhythm:lapse", args=[pair.pk]),
        )
        if outcome.response is not None:
            return outcome.response
    return _render_lapse(request, pair, person, form, status=400)


@login_required
@require_POST
def lapse_delete(request: HttpRequest, pair_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    entry = access_lapse_note(person, pair, note_id)
    try:
        lapse_note_delete(entry=entry, author=person)
    except RhythmError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The note is deleted."))
    return redirect("rhythm:lapse", pair.pk)
