"""Versioned guidelines: publish a new version, accept the current one, see what changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from confide.circles.models import MAX_GUIDELINES, Circle, Guidelines, Membership
from confide.circles.services import CircleError
from confide.core.audit import audit_log
from confide.notifications.services import notify


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added" or "removed"
    text: str


def guidelines_diff(old: str, new: str) -> list[DiffLine]:
    """Line by line, what changed between two versions. Plain data: the template escapes it."""
    ops = {" ": "same", "+": "added", "-": "removed"}
    return [
        DiffLine(ops[line[0]], line[2:])
        for line in difflib.ndiff(old.splitlines(), new.splitlines())
        if line[0] in ops
    ]


def current_guidelines(circle: Circle) -> Guidelines | None:
    return circle.guidelines.filter(version=circle.guidelines_version).first()


@transaction.atomic
def guidelines_publish(*, membership: Membership, text: str) -> Guidelines:
    """A new version that every member (but its author) must accept before posting again."""
    if not membership.is_facilitator:
        raise CircleError(_("Only the circle's facilitators can change the guidelines."))
    text = text.strip()
    if not text:
        raise CircleError(_("The guidelines cannot be empty."))
    if len(text) > MAX_GUIDELINES:
        raise CircleError(
            _("Keep the guidelines to %(n)d characters or fewer.") % {"n": MAX_GUIDELINES}
        )
    circle = Circle.objects.select_for_update().get(pk=membership.circle_id)
    current = current_guidelines(circle)
    if current is not None and current.text == text:
        raise CircleError(_("This is the same text as the current version; nothing changed."))
    version = circle.guidelines_version + 1
    guidelines = Guidelines.objects.create(
        circle=circle, version=version, text=text, published_by=membership
    )
    circle.guidelines_version = version
    circle.save(update_fields=["guidelines_version"])
    Membership.objects.filter(pk=membership.pk).update(accepted_version=version)
    audit_log(
        actor=membership.user,
        action="circles.guidelines.published",
        target=circle,
        data={"version": version},
    )
    others = Membership.objects.filter(circle=circle, left_at__isnull=True).exclude(
        pk=membership.pk
    )
    for other in others.select_related("user"):
        notify(
            user=other.user,
            kind="circle_guidelines",
            event_key=f"circle_guidelines:{circle.pk}:{version}",
            title=_("A circle you belong to has new guidelines to read"),
            url=reverse("circles:guidelines", args=[circle.pk]),
        )
    return guidelines


@transaction.atomic
def guidelines_accept(*, membership: Membership, version: int) -> Membership:
    """Accept the version the person read; an older one (changed meanwhile) is refused."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("circle")
        .get(pk=membership.pk, left_at__isnull=True)
    )
    if version != membership.circle.guidelines_version:
        raise CircleError(
            _("The guidelines changed while you were reading. Read the new version, then accept.")
        )
    if membership.accepted_version != version:
        membership.accepted_version = version
        membership.save(update_fields=["accepted_version"])
        audit_log(
            actor=membership.user,
            action="circles.guidelines.accepted",
            target=membership.circle,
            data={"version": version},
        )
    return membership
