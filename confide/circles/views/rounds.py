"""The live round's page. With JavaScript it runs over a WebSocket (static/circles/round.js);
without, the same actions are plain form posts and the page shows the state on each load."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from confide.accounts.access import access_person
from confide.accounts.decorators import require_second_factor
from confide.circles import selectors_meetings
from confide.circles.access import (
    access_circle,
    access_circle_as_facilitator,
    access_meeting,
    access_round,
)
from confide.circles.services import CircleError
from confide.circles.services.rounds import (
    round_close,
    round_give,
    round_join,
    round_open,
    round_pass,
    round_withdraw,
)
from confide.circles.views import render_circle


@login_required
@require_second_factor
@require_POST
def round_start(request: HttpRequest, circle_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    meeting = access_meeting(membership, meeting_id)
    occurrence = parse_datetime(request.POST.get("occurrence", "")[:40])
    try:
        if occurrence is None or occurrence.tzinfo is None:
            raise CircleError(_("Choose a meeting."))
        round_ = round_open(membership=membership, meeting=meeting, occurrence=occurrence)
    except CircleError as error:
        messages.error(request, error.messages[0])
        return redirect("circles:meeting", circle_id, meeting.pk)
    return redirect("circles:round", circle_id, round_.pk)


@login_required
@require_GET
def round_page(request: HttpRequest, circle_id: uuid.UUID, round_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    round_ = access_round(membership, round_id)
    return render_circle(
        request,
        "circles/round.html",
        membership,
        round=round_,
        state=selectors_meetings.round_state(round_id=round_.pk, viewer=membership),
    )


@login_required
@require_POST
def round_act(request: HttpRequest, circle_id: uuid.UUID, round_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    round_ = access_round(membership, round_id)
    action = request.POST.get("type", "")
    try:
        if action == "join":
            round_join(membership=membership, round_=round_)
        elif action == "withdraw":
            round_withdraw(membership=membership, round_=round_)
        elif action == "pass":
            round_pass(membership=membership, round_=round_)
        elif action == "give":
            try:
                member = uuid.UUID(request.POST.get("member", "")[:64])
            except ValueError:
                raise CircleError(_("Choose someone who is waiting in the queue.")) from None
            round_give(membership=membership, round_=round_, member_id=member)
        elif action == "close":
            round_close(membership=membership, round_=round_)
        else:
            raise CircleError(_("Unknown action."))
    except CircleError as error:
        messages.error(request, error.messages[0])
    return redirect("circles:round", circle_id, round_.pk)
