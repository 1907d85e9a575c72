"""Meetings, RSVPs, attendance, the end-of-meeting rating and the calendar feed."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.decorators import require_second_factor
from confide.circles import content, selectors, selectors_meetings
from confide.circles.access import (
    access_circle,
    access_circle_as_facilitator,
    access_meeting,
    access_member,
)
from confide.circles.calendar import feed_ics
from confide.circles.forms import AttendanceForm, MeetingForm, RatingForm, RsvpForm
from confide.circles.models import Meeting, Membership, Rsvp
from confide.circles.services import CircleError
from confide.circles.services.meetings import (
    attendance_mark,
    calendar_feed_reset,
    calendar_feed_user,
    meeting_cancel,
    meeting_create,
    rating_is_open,
    rating_submit,
    rsvp_set,
)
from confide.circles.services.rounds import OPENS_BEFORE, STAYS_OPEN_AFTER
from confide.circles.views import GET_POST, fail, first_error, render_circle

FEED_KEY = "confide_calendar_feed_link"


@login_required
@require_second_factor
@require_http_methods(GET_POST)
def meeting_new(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    form = MeetingForm(request.POST or None, time_zone=person.time_zone)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "repeat"}
        try:
            meeting = meeting_create(membership=membership, **data)
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(
                request, _("The meeting is planned. Members can now say if they come.")
            )
            return redirect("circles:meeting", circle_id, meeting.pk)
    return render_circle(request, "circles/meeting_new.html", membership, form=form)


def _render_meeting(
    request: HttpRequest, membership: Membership, meeting: Meeting, **forms_: object
) -> HttpResponse:
    coming, past = selectors_meetings.meeting_page(meeting=meeting, viewer=membership)
    closing = next((o for o in past if o.attended and not o.rated), None)
    rating_form = forms_.get("rating_form")
    if (
        rating_form is None
        and closing is not None
        and rating_is_open(meeting, closing.start, now=timezone.now())
    ):
        rating_form = RatingForm(initial={"occurrence": closing.start})
    now = timezone.now()
    live = next(
        (
            o
            for o in [*coming, *past]
            if o.start - OPENS_BEFORE
            <= now
            <= o.start + timedelta(minutes=meeting.duration_minutes) + STAYS_OPEN_AFTER
        ),
        None,
    )
    # Facilitators can open the round at any time, for the meeting under way or the next one.
    live = live or next(iter(coming), None)
    return render_circle(
        request,
        "circles/meeting.html",
        membership,
        meeting=meeting,
        live=live,
        open_round=selectors_meetings.open_round(meeting=meeting),
        coming=coming,
        past=past,
        answers=Rsvp.Answer.choices,
        members=selectors.members(circle=membership.circle) if membership.is_facilitator else [],
        rating_form=rating_form,
        ratings=(
            selectors_meetings.rating_summary(meeting=meeting)
            if membership.is_facilitator
            else None
        ),
        minimum=selectors_meetings.ANONYMITY_MINIMUM,
        organiser_zone=meeting.time_zone,
    )


@login_required
@require_GET
def meeting(request: HttpRequest, circle_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    return _render_meeting(request, membership, access_meeting(membership, meeting_id))


@login_required
@require_POST
def rsvp(request: HttpRequest, circle_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    entry = access_meeting(membership, meeting_id)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            rsvp_set(
                membership=membership,
                meeting=entry,
                occurrence=form.cleaned_data["occurrence"],
                answer=form.cleaned_data["answer"],
            )
        except CircleError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Thank you for letting the circle know."))
    return redirect("circles:meeting", circle_id, entry.pk)


@login_required
@require_second_factor
@require_POST
def attendance(request: HttpRequest, circle_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    entry = access_meeting(membership, meeting_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("circles:meeting", circle_id, entry.pk)
    member = access_member(membership, form.cleaned_data["member"])
    try:
        attendance_mark(
            membership=membership,
            meeting=entry,
            occurrence=form.cleaned_data["occurrence"],
            member=member,
        )
    except CircleError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Attendance is noted."))
    return redirect("circles:meeting", circle_id, entry.pk)


@login_required
@require_POST
def rate(request: HttpRequest, circle_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    entry = access_meeting(membership, meeting_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rating_submit(
                membership=membership,
                meeting=entry,
                occurrence=data["occurrence"],
                answers={key: data[key] for key, _label in content.RATING_ITEMS},
            )
        except CircleError as error:
            fail(form, error)
        else:
            messages.success(request, _("Thank you. Your rating is counted anonymously."))
            return redirect("circles:meeting", circle_id, entry.pk)
    return _render_meeting(request, membership, entry, rating_form=form)


@login_required
@require_second_factor
@require_POST
def cancel(request: HttpRequest, circle_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    entry = access_meeting(membership, meeting_id)
    try:
        meeting_cancel(membership=membership, meeting=entry)
    except CircleError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The meeting is cancelled."))
    return redirect("circles:detail", circle_id)


@login_required
@require_http_methods(GET_POST)
def calendar(request: HttpRequest) -> HttpResponse:
    person = access_person(request)
    if request.method == "POST":
        raw = calendar_feed_reset(user=person)
        request.session[FEED_KEY] = raw  # shown once, on the next page
        messages.success(request, _("Your calendar link is ready. Any older link stops working."))
        return redirect("circles:calendar")
    raw = request.session.pop(FEED_KEY, None)
    link = request.build_absolute_uri(reverse("circles:feed", args=[raw])) if raw else None
    has_feed = hasattr(person, "circle_calendar_feed")
    return render(request, "circles/calendar.html", {"link": link, "has_feed": has_feed})


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed: whoever has the link sees the times of the person's meetings."""
    user = calendar_feed_user(token)
    if user is None:
        raise Http404
    now = timezone.now()
    body = feed_ics(
        events=selectors_meetings.feed_events(user=user, now=now),
        base_url=settings.CONFIDE_BASE_URL,
        now=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="confide.ics"'
    return response
