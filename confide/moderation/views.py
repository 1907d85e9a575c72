"""Thin views: access -> form -> one service -> render or redirect."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.decorators import require_second_factor
from confide.circles.access import (
    access_circle,
    access_circle_as_facilitator,
    access_member,
    access_reply,
    access_thread,
)
from confide.circles.models import Membership
from confide.circles.views import GET_POST, fail, render_circle
from confide.moderation import selectors
from confide.moderation.access import access_hidden, access_preset, access_report
from confide.moderation.forms import DecisionForm, PresetForm, ReportForm
from confide.moderation.models import Report
from confide.moderation.services import (
    ModerationError,
    block_remove,
    block_set,
    post_restore,
    preset_save,
    presets_ensure,
    report_create,
    report_resolve,
    standing_lift,
)
from confide.privacy.accesslog import access_records_add
from confide.privacy.models import AccessRecord


def _back(request: HttpRequest, default: str) -> str:
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=set()):
        return back
    return default


def _report(
    request: HttpRequest, circle_id: uuid.UUID, thread_id: uuid.UUID, reply_id: str | None
) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    thread = access_thread(membership, thread_id)
    reply = access_reply(membership, thread, reply_id) if reply_id else None
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_create(membership=membership, thread=thread, reply=reply, **form.cleaned_data)
        except ModerationError as error:
            fail(form, error)
        else:
            messages.success(
                request,
                _("Thank you for telling us. A facilitator will look at it; you will hear back."),
            )
            return redirect("circles:thread", circle_id, thread.pk)
    post = reply or thread
    return render_circle(
        request, "moderation/report.html", membership, form=form, thread=thread, post=post
    )


@login_required
@require_http_methods(GET_POST)
def report_thread(request: HttpRequest, circle_id: uuid.UUID, thread_id: uuid.UUID) -> HttpResponse:
    return _report(request, circle_id, thread_id, None)


@login_required
@require_http_methods(GET_POST)
def report_reply(
    request: HttpRequest, circle_id: uuid.UUID, thread_id: uuid.UUID, reply_id: uuid.UUID
) -> HttpResponse:
    return _report(request, circle_id, thread_id, str(reply_id))


def _record_openings(facilitator: Membership, reports: Iterable[Report]) -> None:
    """The queue shows each open report with the reported post in full, so rendering it opens
    every report shown: one access record per report, for the post's author to see on their
    privacy page (none for a facilitator's own post)."""
    openings = []
    for report in reports:
        author = (report.reply or report.thread).author
        if author.user_id != facilitator.user_id:
            openings.append((author.user, str(report.pk)))
    access_records_add(
        actor=facilitator.user,
        role=AccessRecord.Role.FACILITATOR,
        kind="moderation.report",
        openings=openings,
    )


def _render_queue(
    request: HttpRequest,
    membership: Membership,
    failed: tuple[Report, DecisionForm] | None = None,
) -> HttpResponse:
    """The queue; `failed` is a report whose decision came back with errors, and its form."""
    circle = membership.circle
    presets_ensure(circle=circle)
    # A decision that came back with errors is shown on the page that holds its report.
    reports = selectors.report_page(
        circle=circle,
        page=request.GET.get("page"),
        holding=failed[0].pk if failed is not None else None,
    )
    _record_openings(membership, reports.object_list)  # only the reports this page shows
    presets = list(selectors.presets(circle=circle)) if reports.object_list else []
    for report in reports:
        form = (
            failed[1]
            if failed is not None and failed[0].pk == report.pk
            else DecisionForm(circle_id=circle.pk, presets=presets, prefix=str(report.pk))
        )
        setattr(report, "form", form)  # noqa: B010
    return render_circle(
        request,
        "moderation/queue.html",
        membership,
        reports=reports,
        hidden=selectors.hidden_page(circle=circle, page=request.GET.get("hidden")),
        restricted=selectors.restricted_members(circle=circle),
        failed=failed[1] if failed is not None else None,
    )


@login_required
@require_second_factor
@require_GET
def queue(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    return _render_queue(request, membership)


@login_required
@require_second_factor
@require_POST
def decide(request: HttpRequest, circle_id: uuid.UUID, report_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    report = access_report(membership, report_id)
    form = DecisionForm(request.POST, circle_id=membership.circle_id, prefix=str(report.pk))
    if not form.is_valid():
        if not report.is_open:
            messages.error(
                request,
                _("A facilitator has already resolved this report, so nothing was changed."),
            )
            return redirect("moderation:queue", circle_id)
        return _render_queue(request, membership, (report, form))
    try:
        report_resolve(facilitator=membership, report=report, decision=form.decision())
    except ModerationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Done. The reporter is told that a facilitator acted."))
    return redirect("moderation:queue", circle_id)


@login_required
@require_second_factor
@require_POST
def restore(request: HttpRequest, circle_id: uuid.UUID, hidden_id: int) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    hidden = access_hidden(membership, hidden_id)
    try:
        post_restore(facilitator=membership, hidden=hidden)
    except ModerationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The post is visible to members again."))
    return redirect("moderation:queue", circle_id)


@login_required
@require_second_factor
@require_POST
def lift(request: HttpRequest, circle_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    member = access_member(membership, member_id)
    try:
        standing_lift(facilitator=membership, member=member)
    except ModerationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The limits on this member's posting are lifted."))
    return redirect("moderation:queue", circle_id)


def _render_presets(
    request: HttpRequest, membership: Membership, new_form: PresetForm | None = None
) -> HttpResponse:
    presets = list(selectors.presets(circle=membership.circle))
    for preset in presets:
        form = PresetForm(
            initial={"label": preset.label, "text": preset.text}, prefix=f"p{preset.pk}"
        )
        setattr(preset, "form", form)  # noqa: B010
    return render_circle(
        request,
        "moderation/presets.html",
        membership,
        presets=presets,
        form=new_form or PresetForm(prefix="new"),
    )


@login_required
@require_second_factor
@require_http_methods(GET_POST)
def presets(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    presets_ensure(circle=membership.circle)
    if request.method == "POST":
        form = PresetForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                preset_save(facilitator=membership, preset=None, **form.cleaned_data)
            except ModerationError as error:
                fail(form, error)
            else:
                messages.success(request, _("The note is added."))
                return redirect("moderation:presets", circle_id)
        return _render_presets(request, membership, form)
    return _render_presets(request, membership)


@login_required
@require_second_factor
@require_POST
def preset_edit(request: HttpRequest, circle_id: uuid.UUID, preset_id: int) -> HttpResponse:
    person = access_person(request)
    membership = access_circle_as_facilitator(person, circle_id)
    preset = access_preset(membership, preset_id)
    form = PresetForm(request.POST, prefix=f"p{preset.pk}")
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect("moderation:presets", circle_id)
    try:
        preset_save(facilitator=membership, preset=preset, **form.cleaned_data)
    except ModerationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The note is saved."))
    return redirect("moderation:presets", circle_id)


@login_required
@require_POST
def block(request: HttpRequest, circle_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    target = access_member(membership, member_id)
    try:
        block_set(membership=membership, target=target)
    except ModerationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("You blocked %(name)s. Their posts are collapsed for you; they are not told.")
            % {"name": target.pseudonym},
        )
    return redirect(_back(request, reverse("circles:detail", args=[circle_id])))


@login_required
@require_POST
def unblock(request: HttpRequest, circle_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    person = access_person(request)
    membership = access_circle(person, circle_id)
    target = Membership.objects.filter(pk=member_id, circle_id=membership.circle_id).first()
    if target is None:
        raise Http404
    try:
        block_remove(membership=membership, target=target)
    except ModerationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("You unblocked %(name)s.") % {"name": target.pseudonym})
    return redirect(_back(request, reverse("moderation:mine", args=[circle_id])))


@login_required
@require_GET
def mine(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    """A member's own side of moderation: notes from facilitators, limits, reports, blocks."""
    person = access_person(request)
    membership = access_circle(person, circle_id)
    standing = selectors.standing_for(membership=membership)
    return render_circle(
        request,
        "moderation/mine.html",
        membership,
        warnings=selectors.warnings_for(membership=membership),
        reports=selectors.reports_by(membership=membership),
        blocks=selectors.blocked_members(membership=membership),
        standing=standing,
    )
