"""Time together: plans, the together timer and the month view. Thin: access, form, one
service, render or redirect. Pages work without JavaScript; timer.js only ticks the clock.

The buttons (start, stop, done, cancel) always answer with a redirect, a refusal included, with
the reason as a message: reloading the page afterwards never sends the button again."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.models import User
from confide.pairs.access import access_pair
from confide.pairs.models import Pair
from confide.pairs.services import PairError
from confide.pairs.services.common import partner_of
from confide.together import clock, selectors
from confide.together.access import access_plan, access_timer
from confide.together.calendar import plan_ics
from confide.together.forms import PlanForm, TimerStartForm
from confide.together.services import (
    plan_cancel,
    plan_create,
    plan_mark_done,
    timer_start,
    timer_stop,
)

GET_POST = ["GET", "POST"]
BAD_REQUEST = 400
YEARS = (2000, 2100)


def _context(pair: Pair, person: User, **extra: Any) -> dict[str, Any]:
    return {"pair": pair, "partner": partner_of(pair, person), **extra}


def _timer_context(pair: Pair) -> dict[str, Any]:
    timer = selectors.running_timer(pair=pair)
    seconds = clock.elapsed_seconds(timer.started_at, timezone.now()) if timer else 0
    return {"timer": timer, "elapsed_seconds": seconds, "elapsed": clock.clock_text(seconds)}


def _this_month(person: User) -> tuple[int, int]:
    today = timezone.localdate(timezone=clock.zone_of(person.time_zone))
    return today.year, today.month


@login_required
@require_GET
def index(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    year, month = _this_month(person)
    context = _context(
        pair,
        person,
        **_timer_context(pair),
        page=selectors.plans_coming(pair=pair, page=request.GET.get("page")),
        recent=selectors.recent_times(pair=pair),
        year=year,
        month=month,
        now=timezone.now(),
    )
    return render(request, "together/index.html", context)


@login_required
@require_http_methods(GET_POST)
def plan_new(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(pair=pair, planner=person, **form.cleaned_data)
        except PairError as error:
            form.add_error(None, error)
        else:
            partner = partner_of(pair, person)
            messages.success(
                request,
                _("Planned. %(name)s can see it now.") % {"name": partner.display_name}
                if partner
                else _("Planned."),
            )
            return redirect("together:plan", pair.pk, plan.pk)
    status = BAD_REQUEST if form.errors else 200
    context = _context(pair, person, form=form, time_zone=clock.zone_of(person.time_zone).key)
    return render(request, "together/plan_new.html", context, status=status)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pair_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    plan = access_plan(person, pair, plan_id)
    running = selectors.running_timer(pair=pair)
    context = _context(
        pair,
        person,
        plan=plan,
        record=selectors.plan_time(plan=plan),
        running=running,
        can_start=pair.is_active and plan.is_planned and running is None,
        can_mark_done=pair.is_active and plan.is_planned and plan.starts_at <= timezone.now(),
        other_zone=plan.time_zone != clock.zone_of(person.time_zone).key,
    )
    return render(request, "together/plan.html", context)


@login_required
@require_GET
def plan_calendar(request: HttpRequest, pair_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    found = access_plan(person, pair, plan_id)
    body = plan_ics(plan=found, base_url=settings.CONFIDE_BASE_URL, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    day = found.starts_at.astimezone(clock.zone_of(person.time_zone)).date()
    response["Content-Disposition"] = f'attachment; filename="time-together-{day:%Y-%m-%d}.ics"'
    return response


@login_required
@require_POST
def plan_done(request: HttpRequest, pair_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    found = access_plan(person, pair, plan_id)
    try:
        plan_mark_done(plan=found, person=person)
    except PairError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Marked done. Your time together is recorded."))
    return redirect("together:plan", pair.pk, found.pk)


@login_required
@require_POST
def plan_cancel_view(request: HttpRequest, pair_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    found = access_plan(person, pair, plan_id)
    try:
        plan_cancel(plan=found, person=person)
    except PairError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The plan is cancelled."))
    return redirect("together:plan", pair.pk, found.pk)


@login_required
@require_POST
def timer_start_view(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    form = TimerStartForm(request.POST)
    if not form.is_valid():
        raise Http404  # a plan id that is not an id names nothing this person may see
    plan_id = form.cleaned_data["plan"]
    found = access_plan(person, pair, plan_id) if plan_id else None
    try:
        timer_start(pair=pair, person=person, plan=found)
    except PairError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The together timer is running. Enjoy your time."))
    return redirect("together:index", pair.pk)


@login_required
@require_POST
def timer_stop_view(request: HttpRequest, pair_id: uuid.UUID, timer_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id, for_write=True)
    timer = access_timer(person, pair, timer_id)
    try:
        timer = timer_stop(timer=timer, person=person)
    except PairError as error:
        messages.error(request, error.messages[0])
        return redirect("together:index", pair.pk)
    minutes = timer.minutes or 0
    messages.success(
        request,
        ngettext(
            "The timer is stopped: %(n)d minute together, recorded.",
            "The timer is stopped: %(n)d minutes together, recorded.",
            minutes,
        )
        % {"n": minutes},
    )
    return redirect("together:index", pair.pk)


@login_required
@require_GET
def month_view(request: HttpRequest, pair_id: uuid.UUID, year: int, month: int) -> HttpResponse:
    person = access_person(request)
    pair = access_pair(person, pair_id)
    if not (YEARS[0] <= year <= YEARS[1] and 1 <= month <= 12):  # noqa: PLR2004
        raise Http404
    zone = clock.zone_of(person.time_zone)
    summary = selectors.month_summary(pair=pair, zone=zone, year=year, month=month)
    context = _context(
        pair,
        person,
        summary=summary,
        now=timezone.now(),
        previous=clock.shift_month(year, month, -1),
        next=clock.shift_month(year, month, 1),
    )
    return render(request, "together/month.html", context)
