"""Joining a circle: invitation links, requests to join, and the facilitators' queue."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.decorators import require_second_factor
from confide.accounts.models import User
from confide.circles import selectors
from confide.circles.access import (
    access_circle,
    access_circle_as_facilitator,
    access_circle_to_request,
    access_join_request,
    access_reply,
    access_thread,
)
from confide.circles.forms import DecideForm, JoinForm, RequestForm
from confide.circles.models import CircleInvitation
from confide.circles.services import CircleError
from confide.circles.services.guidelines import current_guidelines
from confide.circles.services.membership import (
    active_membership,
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_find,
    invitation_withdraw,
    join_request_create,
    join_request_decide,
)
from confide.circles.services.posts import post_decide
from confide.circles.views import GET_POST, fail, render_circle

LINK_KEY = "confide_circle_invitation_{}"


@login_required
@require_second_factor
@require_http_methods(GET_POST)
def invite(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    link = None
    if request.method == "POST":
        try:
            invitation, raw = invitation_create(membership=membership)
        except CircleError as error:
            messages.error(request, error.messages[0])
        else:
            # Shown once, on the next page; only a hash stays in the database.
            request.session[LINK_KEY.format(invitation.pk)] = raw
            return redirect(f"{reverse('circles:invite', args=[circle_id])}?new={invitation.pk}")
    new = request.GET.get("new", "")
    shown = request.session.pop(LINK_KEY.format(new), None) if new.isdigit() else None
    if shown:
        link = request.build_absolute_uri(reverse("circles:join", args=[circle_id, shown]))
    return render_circle(
        request,
        "circles/invite.html",
        membership,
        link=link,
        invitations=selectors.invitation_page(
            circle=membership.circle, page=request.GET.get("page")
        ),
        request_link=request.build_absolute_uri(reverse("circles:request", args=[circle_id])),
    )


@login_required
@require_second_factor
@require_POST
def invitation_withdraw_view(
    request: HttpRequest, circle_id: uuid.UUID, invitation_id: int
) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    invitation = selectors.open_invitations(circle=membership.circle).filter(pk=invitation_id)
    found = invitation.first()
    if found is None:
        messages.error(request, _("This invitation has already been used or withdrawn."))
    else:
        try:
            invitation_withdraw(membership=membership, invitation=found)
        except CircleError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The invitation is withdrawn; its link no longer works."))
    return redirect("circles:invite", circle_id)


def _join_page(
    request: HttpRequest, invitation: CircleInvitation, **context: object
) -> HttpResponse:
    status = 400 if context.get("problem") or getattr(context.get("form"), "errors", None) else 200
    return render(
        request,
        "circles/join.html",
        {
            "invitation": invitation,
            "join_circle": invitation.circle,
            "current": current_guidelines(invitation.circle),
            **context,
        },
        status=status,
    )


@require_http_methods(GET_POST)
def join(request: HttpRequest, circle_id: uuid.UUID, token: str) -> HttpResponse:
    user = request.user if isinstance(request.user, User) else None
    try:
        invitation = invitation_find(circle_id=circle_id, raw_token=token)
        invitation_check(invitation, user=user)
    except CircleError as error:
        return render(
            request, "circles/join_invalid.html", {"problem": error.messages[0]}, status=400
        )
    if user is None:
        if request.method == "POST":
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        return _join_page(request, invitation, anonymous=True)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(
                invitation=invitation,
                user=user,
                pseudonym=form.cleaned_data["pseudonym"],
                accept_guidelines=form.cleaned_data["accept"],
            )
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(request, _("Welcome to the circle."))
            return redirect("circles:detail", circle_id)
    return _join_page(request, invitation, form=form)


@login_required
@require_http_methods(GET_POST)
def request_join(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    circle = access_circle_to_request(circle_id)
    if active_membership(circle, person) is not None:
        return redirect("circles:detail", circle_id)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            join_request_create(
                circle=circle, user=person, pseudonym=form.cleaned_data["pseudonym"]
            )
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(
                request, _("Your request is sent. You will hear from the circle soon.")
            )
            return redirect("circles:list")
    return render(
        request,
        "circles/request.html",
        {"join_circle": circle, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_second_factor
@require_GET
def queue(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    threads, replies = selectors.held_posts(
        circle=membership.circle,
        threads_page=request.GET.get("threads"),
        replies_page=request.GET.get("replies"),
    )
    return render_circle(
        request,
        "circles/queue.html",
        membership,
        requests=selectors.pending_requests(
            circle=membership.circle, page=request.GET.get("requests")
        ),
        held_threads=threads,
        held_replies=replies,
    )


@login_required
@require_second_factor
@require_POST
def request_decide(request: HttpRequest, circle_id: uuid.UUID, request_id: int) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    join_request = access_join_request(membership, request_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or decline."))
        return redirect("circles:queue", circle_id)
    try:
        join_request_decide(
            membership=membership,
            join_request=join_request,
            approve=form.cleaned_data["decision"] == "approve",
        )
    except CircleError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The request is answered."))
    return redirect("circles:queue", circle_id)


@login_required
@require_second_factor
@require_POST
def held_decide(request: HttpRequest, circle_id: uuid.UUID, thread_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    thread = access_thread(membership, thread_id)
    form = DecideForm(request.POST)
    reply_id = request.POST.get("reply", "")
    reply = access_reply(membership, thread, reply_id) if reply_id else None
    if not form.is_valid():
        messages.error(request, _("Choose to approve or decline."))
        return redirect("circles:queue", circle_id)
    try:
        post_decide(
            membership=membership,
            thread=thread,
            reply=reply,
            approve=form.cleaned_data["decision"] == "approve",
        )
    except CircleError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Thank you. The post is decided."))
    return redirect("circles:queue", circle_id)
