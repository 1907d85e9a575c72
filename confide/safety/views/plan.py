"""The safety lane opened on request: the safety page, the safety plan and its printable copy.

Every page here is about the signed-in person only. No URL or form field names a person or a
plan, so whatever a visitor puts in the address or the form, they reach only their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_stubs_ext import StrOrPromise

from confide.accounts.access import access_person
from confide.accounts.models import User
from confide.pairs.selectors import PairSummary, pairs_for_person
from confide.safety.forms import SafetyPlanForm
from confide.safety.models import STEPS, SafetyPlan
from confide.safety.plan import SafetyPlanError, safety_plan_for, safety_plan_save
from confide.safety.resources import resources_for


@dataclass(frozen=True, slots=True)
class PlanStep:
    label: StrOrPromise
    hint: StrOrPromise
    text: str


def _steps(plan: SafetyPlan | None) -> list[PlanStep]:
    fields = SafetyPlanForm.base_fields
    return [
        PlanStep(
            label=fields[name].label or "",
            hint=fields[name].help_text,
            text=getattr(plan, name) if plan is not None else "",
        )
        for name in STEPS
    ]


def _pausable(person: User) -> list[PairSummary]:
    """The person's active pairs that they are still in: where a pause can be offered."""
    return [
        summary
        for summary in pairs_for_person(user=person)
        if summary.pair.is_active
        # The members are prefetched by pairs_for_person, so this costs no query per pair.
        and any(
            member.user_id == person.pk and member.left_at is None
            for member in summary.pair.members.all()
        )
    ]


@login_required
@require_GET
def safety_page(request: HttpRequest) -> HttpResponse:
    """The person's own safety page, open at any time, with or without a screener finding."""
    person = access_person(request)
    plan = safety_plan_for(person)
    context = {
        "plan": plan if plan is not None and not plan.is_empty else None,
        "crisis": resources_for(person.country),
        "pairs": _pausable(person),
    }
    return render(request, "safety/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    current = safety_plan_for(person)
    if request.method == "POST":
        form = SafetyPlanForm(request.POST)
        if form.is_valid():
            try:
                safety_plan_save(owner=person, **form.cleaned_data)
            except SafetyPlanError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field, problem)
            else:
                messages.success(request, _("Your safety plan is saved. Only you can see it."))
                return redirect("safety:plan")
    else:
        initial = {name: getattr(current, name) for name in STEPS} if current else {}
        form = SafetyPlanForm(initial=initial)
    context = {"form": form, "plan": current}
    return render(request, "safety/plan.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def plan_print(request: HttpRequest) -> HttpResponse:
    """A clean copy to print or keep; empty steps print with room to write by hand."""
    person = access_person(request)
    current = safety_plan_for(person)
    context = {
        "plan": current,
        "steps": _steps(current),
        "crisis": resources_for(person.country),
    }
    return render(request, "safety/plan_print.html", context)
