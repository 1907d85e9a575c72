"""Circles and membership: list, create, the circle page, members, profile, leave, guidelines."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.decorators import require_second_factor
from confide.circles import selectors, selectors_meetings
from confide.circles.access import access_circle, access_circle_as_facilitator
from confide.circles.forms import (
    AcceptForm,
    CircleForm,
    GuidelinesForm,
    ProfileForm,
    RoleForm,
    SettingsForm,
)
from confide.circles.models import Membership
from confide.circles.services import CircleError
from confide.circles.services.guidelines import (
    current_guidelines,
    guidelines_accept,
    guidelines_diff,
    guidelines_publish,
)
from confide.circles.services.membership import (
    circle_create,
    circle_leave,
    circle_settings_update,
    profile_update,
    role_set,
)
from confide.circles.views import GET_POST, fail, render_circle


@login_required
@require_GET
def circle_list(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    memberships = selectors.memberships_for_person(user=person)
    return render(request, "circles/list.html", {"memberships": memberships})


@login_required
@require_http_methods(GET_POST)
def create(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    form = CircleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circle = circle_create(
                owner=person,
                name=data["name"],
                purpose=data["purpose"],
                pseudonym=data["pseudonym"],
                guidelines=data["guidelines"],
                hold_first_posts=data["hold_first_posts"],
            )
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(request, _("Your circle is ready. Invite people when you are."))
            return redirect("circles:detail", circle.pk)
    return render(
        request, "circles/create.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def detail(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    return render_circle(
        request,
        "circles/detail.html",
        membership,
        page=selectors.thread_page(viewer=membership, page=request.GET.get("page")),
        goals=list(selectors.goals(circle=membership.circle)),
        meetings=selectors_meetings.upcoming_for_circle(circle=membership.circle, viewer=person),
        queue=selectors.queue_size(circle=membership.circle) if membership.is_facilitator else 0,
        open_rounds=selectors_meetings.open_rounds_for_circle(circle=membership.circle),
    )


@login_required
@require_GET
def members(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    return render_circle(
        request,
        "circles/members.html",
        membership,
        page=selectors.member_page(circle=membership.circle, page=request.GET.get("page")),
        role_form=RoleForm(),
    )


@login_required
@require_second_factor
@require_POST
def role(request: HttpRequest, circle_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    target = selectors.members(circle=membership.circle).filter(pk=member_id).first()
    form = RoleForm(request.POST)
    if target is None or not form.is_valid():
        messages.error(request, _("Choose a member and a role."))
        return redirect("circles:members", circle_id)
    try:
        role_set(membership=membership, target=target, role=form.cleaned_data["role"])
    except CircleError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The role is changed."))
    return redirect("circles:members", circle_id)


@login_required
@require_http_methods(GET_POST)
def profile(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    initial = {
        f: getattr(membership, f)
        for f in ("pseudonym", "about", "pronouns", "background", "brings")
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(membership=membership, **form.cleaned_data)
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(request, _("Your circle profile is saved."))
            return redirect("circles:members", circle_id)
    return render_circle(request, "circles/profile.html", membership, form=form)


@login_required
@require_http_methods(GET_POST)
def leave(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    if request.method == "POST":
        try:
            circle_leave(membership=membership)
        except CircleError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("You have left the circle. Take good care."))
        return redirect("circles:list")
    return render_circle(request, "circles/leave.html", membership)


@login_required
@require_second_factor
@require_http_methods(GET_POST)
def circle_settings(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    form = SettingsForm(
        request.POST or None, initial={"hold_first_posts": membership.circle.hold_first_posts}
    )
    if request.method == "POST" and form.is_valid():
        try:
            circle_settings_update(
                membership=membership, hold_first_posts=form.cleaned_data["hold_first_posts"]
            )
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(request, _("The circle's settings are saved."))
            return redirect("circles:detail", circle_id)
    return render_circle(request, "circles/settings.html", membership, form=form)


def _render_guidelines(
    request: HttpRequest, membership: Membership, form: AcceptForm | None = None
) -> HttpResponse:
    circle = membership.circle
    current = current_guidelines(circle)
    changes = None
    if membership.accepted_version and not membership.has_accepted_guidelines and current:
        accepted = circle.guidelines.filter(version=membership.accepted_version).first()
        if accepted is not None:
            changes = guidelines_diff(accepted.text, current.text)
    return render_circle(
        request,
        "circles/guidelines.html",
        membership,
        current=current,
        changes=changes,
        accept_form=form or AcceptForm(initial={"version": circle.guidelines_version}),
    )


@login_required
@require_http_methods(GET_POST)
def guidelines(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    if request.method != "POST":
        return _render_guidelines(request, membership)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            guidelines_accept(membership=membership, version=form.cleaned_data["version"])
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(request, _("Thank you for accepting the guidelines."))
            return redirect("circles:detail", circle_id)
    return _render_guidelines(request, membership, form)


@login_required
@require_second_factor
@require_http_methods(GET_POST)
def guidelines_edit(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    current = current_guidelines(membership.circle)
    form = GuidelinesForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            guidelines_publish(membership=membership, text=form.cleaned_data["text"])
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(
                request, _("The new guidelines are published. Members are asked to accept them.")
            )
            return redirect("circles:guidelines", circle_id)
    return render_circle(
        request,
        "circles/guidelines_edit.html",
        membership,
        form=form,
        versions=selectors.guidelines_versions(circle=membership.circle),
    )
