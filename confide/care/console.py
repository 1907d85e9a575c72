"""The operator console: a few pages of their own instead of Django's admin (which would show
everything). Operators verify counsellor applications (name, credentials, practice: recorded
in the applicant's access log) and read system health as figures, never anyone's text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from confide.accounts.access import access_person
from confide.accounts.decorators import require_second_factor
from confide.accounts.models import User
from confide.care import selectors
from confide.care.forms import DecideForm
from confide.care.models import CareRelationship, CounsellorProfile
from confide.care.services import CareError, counsellor_decide
from confide.privacy.accesslog import access_record
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
    waiting = selectors.pending_applications()
    for profile in waiting:
        access_record(
            subject=profile.user,
            actor=operator,
            role=AccessRecord.Role.OPERATOR,
            kind="care.application",
            object_ref=f"counsellor:{profile.pk}",
        )
    context: dict[str, Any] = {"applications": waiting}
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
        messages.error(request, _("Please choose verify or decline."))
        return redirect("console:applications")
    verify = form.cleaned_data["decision"] == "verify"
    try:
        counsellor_decide(operator=operator, profile=profile, verify=verify)
    except CareError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Verified: they can now be invited.") if verify else _("Declined.")
        )
    return redirect("console:applications")
