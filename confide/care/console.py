"""The operator console: a few pages of their own instead of Django's admin (which would show
everything). Operators verify or decline counsellor applications and withdraw a verification
(name, credentials, practice: each list is recorded in the shown people's access logs), and
read system health as figures, never anyone's text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.accounts.access import access_person
from confide.accounts.decorators import require_second_factor
from confide.accounts.models import User
from confide.care import selectors
from confide.care.forms import DecideForm, RevokeForm
from confide.care.models import MAX_REASON, CareRelationship, CounsellorProfile
from confide.care.services import CareError, counsellor_decide, counsellor_revoke
from confide.privacy.accesslog import access_records_add
from confide.privacy.models import AccessRecord


def _operator(request: HttpRequest) -> User:
    person = access_person(request)
    if not person.is_staff:
        raise Http404
    return person


def health_figures() -> list[tuple[str, int | str]]:
    """Counts only: how many, never who or what."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from confide.pairs.models import Pair
    from confide.privacy.keys import keys_status

    week_ago = timezone.now() - timedelta(days=7)
    executor = MigrationExecutor(connection)
    unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    return [
        (_("People"), User.objects.filter(is_active=True).count()),
        (_("Active pairs"), Pair.objects.filter(status=Pair.Status.ACTIVE).count()),
        (_("Verified counsellors"), CounsellorProfile.objects.filter(status="verified").count()),
        (_("Applications waiting"), CounsellorProfile.objects.filter(status="pending").count()),
        (_("Open care relationships"), CareRelationship.objects.filter(ended_at=None).count()),
        (
            _("Data openings by roles, last 7 days"),
            AccessRecord.objects.filter(at__gte=week_ago).count(),
        ),
        (_("Data keys waiting for re-wrapping"), keys_status().pending),
        (_("Database"), connection.vendor),
        (_("Migrations not yet applied"), unapplied),
    ]


def _record_openings(operator: User, profiles: Iterable[CounsellorProfile]) -> None:
    """One access-log entry per person listed (name, credentials, practice), in one query."""
    access_records_add(
        actor=operator,
        role=AccessRecord.Role.OPERATOR,
        kind="care.application",
        openings=[(p.user, f"counsellor:{p.pk}") for p in profiles],
    )


@login_required
@require_second_factor
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    _operator(request)
    return render(request, "console/health.html", {"figures": health_figures()})


@login_required
@require_second_factor
@require_GET
def applications(request: HttpRequest) -> HttpResponse:
    operator = _operator(request)
    waiting = selectors.pending_applications(page=request.GET.get("page"))
    _record_openings(operator, waiting.object_list)  # only the people this page shows
    context: dict[str, Any] = {"page": waiting, "max_reason": MAX_REASON}
    return render(request, "console/applications.html", context)


@login_required
@require_second_factor
@require_POST
def decide(request: HttpRequest, profile_id: int) -> HttpResponse:
    operator = _operator(request)
    profile = CounsellorProfile.objects.filter(pk=profile_id).first()
    if profile is None:
        raise Http404
    form = DecideForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:
            messages.error(
                request,
                _("Please keep the reason under %(n)s characters.") % {"n": MAX_REASON},
            )
        else:
            messages.error(request, _("Please choose verify or decline."))
        return redirect("console:applications")
    verify = form.cleaned_data["decision"] == "verify"
    try:
        counsellor_decide(
            operator=operator, profile=profile, verify=verify, reason=form.cleaned_data["reason"]
        )
    except CareError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Verified: they can now be invited.")
            if verify
            else _("Declined. They are told, and read your reason on their application page."),
        )
    return redirect("console:applications")


@login_required
@require_second_factor
@require_GET
def counsellors(request: HttpRequest) -> HttpResponse:
    """Verified counsellors, each with a way to withdraw the verification."""
    operator = _operator(request)
    verified = selectors.verified_counsellors(page=request.GET.get("page"))
    _record_openings(operator, verified.object_list)  # only the people this page shows
    return render(request, "console/counsellors.html", {"page": verified})


@login_required
@require_second_factor
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Withdraw a verification: the operator writes the reason, then confirms once on a page
    that says what follows; nothing changes until it is confirmed."""
    operator = _operator(request)
    profile = (
        CounsellorProfile.objects.filter(pk=profile_id, status=CounsellorProfile.Status.VERIFIED)
        .select_related("user")
        .first()
    )
    if profile is None:
        raise Http404
    form = RevokeForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "profile": profile,
        "form": form,
        "open_count": CareRelationship.objects.filter(
            counsellor_id=profile.user_id, ended_at__isnull=True
        ).count(),
    }
    if request.method == "GET" or not form.is_valid():
        return render(request, "console/revoke.html", context)
    if request.POST.get("confirm") != "yes":
        return render(request, "console/revoke_confirm.html", context)
    try:
        ended = counsellor_revoke(
            operator=operator, profile=profile, reason=form.cleaned_data["reason"]
        )
    except CareError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("console:counsellors")
    messages.success(
        request,
        ngettext(
            "Verification withdrawn. %(n)s care relationship ended; its clients are told.",
            "Verification withdrawn. %(n)s care relationships ended; their clients are told.",
            ended,
        )
        % {"n": ended},
    )
    return redirect("console:counsellors")
