"""Reads for moderation, always scoped to one circle or one member."""

from __future__ import annotations

import uuid

from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from confide.circles.models import Circle, Membership, Thread
from confide.moderation.models import (
    Block,
    HiddenPost,
    MemberWarning,
    Reason,
    Report,
    Standing,
    WarningPreset,
)

REPORTS_PAGE = 20
HIDDEN_PAGE = 20


def visible_threads(viewer: Membership, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Threads without those a facilitator hid, except for facilitators and their authors."""
    if viewer.is_facilitator:
        return threads
    hidden = HiddenPost.objects.filter(thread=OuterRef("pk"), reply__isnull=True)
    return threads.filter(Q(author=viewer) | ~Exists(hidden))


def report_queue(*, circle: Circle) -> QuerySet[Report]:
    """Open reports: distress first, then the oldest."""
    return (
        Report.objects.filter(circle=circle, resolved_at__isnull=True)
        .select_related("thread__author__user", "reply__author__user")
        .annotate(
            urgency=Case(
                When(reason=Reason.DISTRESS, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "created_at", "id")
    )


def report_page(
    *, circle: Circle, page: str | int | None, holding: uuid.UUID | None = None
) -> Page[Report]:
    """One page of the open reports. `holding`: the page that holds this report (a decision on
    it came back with errors), whatever `page` says."""
    reports = report_queue(circle=circle)
    paginator = Paginator(reports, REPORTS_PAGE)
    if holding is not None:
        ids = list(reports.values_list("id", flat=True))
        if holding in ids:
            page = ids.index(holding) // REPORTS_PAGE + 1
    found = paginator.get_page(page)
    found.object_list = list(found.object_list)
    return found


def hidden_posts(*, circle: Circle) -> QuerySet[HiddenPost]:
    return (
        HiddenPost.objects.filter(circle=circle)
        .select_related("thread", "thread__author", "reply", "reply__author")
        .order_by("-hidden_at", "-pk")
    )


def hidden_page(*, circle: Circle, page: str | int | None) -> Page[HiddenPost]:
    """One page of the hidden posts, the most recently hidden first."""
    return Paginator(hidden_posts(circle=circle), HIDDEN_PAGE).get_page(page)


def presets(*, circle: Circle) -> QuerySet[WarningPreset]:
    return WarningPreset.objects.filter(circle=circle).order_by("created_at", "id")


def restricted_members(*, circle: Circle) -> QuerySet[Standing]:
    return (
        Standing.objects.filter(membership__circle=circle, membership__left_at__isnull=True)
        .filter(Q(probation=True) | Q(muted_until__isnull=False))
        .select_related("membership")
        .order_by("membership__pseudonym")
    )


def warnings_for(*, membership: Membership) -> QuerySet[MemberWarning]:
    return MemberWarning.objects.filter(membership=membership).order_by("-created_at")[:50]


def reports_by(*, membership: Membership) -> QuerySet[Report]:
    return Report.objects.filter(reporter=membership).order_by("-created_at")[:50]


def blocked_members(*, membership: Membership) -> QuerySet[Block]:
    return (
        Block.objects.filter(blocker=membership).select_related("blocked").order_by("-created_at")
    )


def standing_for(*, membership: Membership) -> Standing | None:
    return Standing.objects.filter(membership=membership).first()
