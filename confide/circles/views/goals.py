"""Shared goals."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.circles import selectors
from confide.circles.access import access_circle, access_goal
from confide.circles.forms import ContributionForm, GoalForm
from confide.circles.models import Goal, Membership
from confide.circles.services import CircleError
from confide.circles.services.common import today_for
from confide.circles.services.goals import contribution_add, goal_create, goal_mark_reached
from confide.circles.views import GET_POST, fail, render_circle


@login_required
@require_http_methods(GET_POST)
def goal_new(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_create(membership=membership, today=today_for(person), **form.cleaned_data)
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(request, _("The goal is set. Everyone can add to it now."))
            return redirect("circles:goal", circle_id, goal.pk)
    return render_circle(request, "circles/goal_new.html", membership, form=form)


def _render_goal(
    request: HttpRequest, membership: Membership, goal: Goal, form: ContributionForm | None = None
) -> HttpResponse:
    return render_circle(
        request,
        "circles/goal.html",
        membership,
        goal=goal,
        contributions=selectors.contributions(goal=goal),
        form=form or ContributionForm(),
    )


@login_required
@require_GET
def goal(request: HttpRequest, circle_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    return _render_goal(request, membership, access_goal(membership, goal_id))


@login_required
@require_POST
def contribute(request: HttpRequest, circle_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    entry = access_goal(membership, goal_id)
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            contribution_add(membership=membership, goal=entry, **form.cleaned_data)
        except CircleError as error:
            fail(form, error)
        else:
            entry.refresh_from_db()
            if entry.is_reached:
                messages.success(request, _("You did it together: the goal is reached!"))
            else:
                messages.success(request, _("Thank you for adding to the goal."))
            return redirect("circles:goal", circle_id, entry.pk)
    return _render_goal(request, membership, entry, form)


@login_required
@require_POST
def goal_reached(request: HttpRequest, circle_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    entry = access_goal(membership, goal_id)
    try:
        goal_mark_reached(membership=membership, goal=entry)
    except CircleError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The goal is marked as reached. Time to celebrate!"))
    return redirect("circles:goal", circle_id, entry.pk)
