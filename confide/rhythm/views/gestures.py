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
from django.views.decorators.http import require_GET, require_POST

from confide.accounts.access import access_person
from confide.accounts.models import User
from confide.pairs.access import access_pair
from confide.pairs.models import Pair
from confide.pairs.services.common import today_for
from confide.rhythm import selectors
from confide.rhythm.access import access_idea, access_pick
from confide.rhythm.forms import (
    GestureDoneForm,
    GestureFilterForm,
    GestureIdeaForm,
    GesturePickForm,
)
from confide.rhythm.services import RhythmError
from confide.rhythm.services.gestures import (
    gesture_done,
    gesture_idea_add,
    gesture_idea_delete,
    gesture_pick,
)
from confide.rhythm.views.common import form_error, pair_context
from confide.safety.web import write_screened


def _render(
    request: HttpRequest, pair: Pair, person: User, *, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    today = today_for(person)
    filters = GestureFilterForm(request.GET or None, auto_id="filter_%s")
    kind = effort = ""
    if filters.is_valid():
        kind, effort = filters.cleaned_data["kind"], filters.cleaned_data["effort"]
    done_listed, done_own = selectors.done_recently(pair=pair, person=person, today=today)
    ideas = selectors.own_ideas(pair=pair, person=person, page=request.GET.get("ideas"))
    context: dict[str, Any] = pair_context(
        pair,
        person,
        current=selectors.pick_this_week(pair=pair, person=person, today=today),
        suggestions=selectors.suggestions(
            pair=pair,
            person=person,
            today=today,
            kind=kind,
            effort=effort,
            done=done_listed,
            page=request.GET.get("page"),
        ),
        filters=filters,
        kind=kind,
        effort=effort,
        ideas=ideas,
        done_own=done_own,
        recent=selectors.recent_picks(pair=pair, person=person, today=today),
        idea_form=forms_.get("idea_form") or GestureIdeaForm(),
        problem=forms_.get("problem_form"),
    )
    return render(request, "rhythm/gestures.html", context, status=status)


def _back(pair: Pair) -> HttpResponse:
    return redirect("rhythm:gestures", pair.pk)


@login_required
@require_GET
def gestures(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    return _render(request, access_pair(person, pair_id), person)


@login_required
@require_POST
def pick(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = GesturePickForm(request.POST)
    if form.is_valid():
        idea_id = form.cleaned_data["idea"]
        idea = access_idea(person, pair, idea_id) if idea_id else None
        try:
            gesture_pick(
                pair=pair, person=person, gesture_id=form.cleaned_data["gesture"], idea=idea
            )
        except RhythmError as error:
            form_error(form, error)
        else:
            messages.success(request, _("This is your gesture for the week."))
            return _back(pair)
    return _render(request, pair, person, status=400, problem_form=form)


@login_required
@require_POST
def done(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = GestureDoneForm(request.POST)
    if form.is_valid():
        chosen = access_pick(person, pair, form.cleaned_data["pick"])
        try:
            gesture_done(pick=chosen, person=person)
        except RhythmError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Done. Thank you for the care you put into it."))
            return _back(pair)
    return _render(request, pair, person, status=400, problem_form=form)


@login_required
@require_POST
def idea_add(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = GestureIdeaForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        outcome = write_screened(
            request,
            form,
            lambda _send_as_is: gesture_idea_add(
                pair=pair, owner=person, kind=data["kind"], effort=data["effort"], text=data["text"]
            ),
            person=person,
            pair_id=pair.pk,
            where="rhythm.gesture_idea",
            done=_("Your idea is kept. Only you can see it."),
            next_url=reverse("rhythm:gestures", args=[pair.pk]) + "#own-ideas",
        )
        if outcome.response is not None:
            return outcome.response
    return _render(request, pair, person, status=400, idea_form=form)


@login_required
@require_POST
def idea_delete(request: HttpRequest, pair_id: uuid.UUID, idea_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    idea = access_idea(person, pair, idea_id)
    try:
        gesture_idea_delete(idea=idea, owner=person)
    except RhythmError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your idea is deleted."))
    return _back(pair)
