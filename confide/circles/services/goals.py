"""Shared goals: set one, contribute to it, and celebrate together when it is reached."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.circles.models import MAX_GOAL_NOTE, MAX_TITLE, Contribution, Goal, Membership
from confide.circles.services import CircleError
from confide.circles.services.posts import require_can_post
from confide.core.audit import audit_log
from confide.notifications.services import notify

MAX_TARGET = 100_000
MAX_AMOUNT = 1_000


@transaction.atomic
def goal_create(
    *, membership: Membership, title: str, due_on: date, target: int | None, today: date
) -> Goal:
    require_can_post(membership)
    title = title.strip()
    if not title:
        raise CircleError(_("Say what the goal is."))
    if len(title) > MAX_TITLE:
        raise CircleError(_("Keep the goal to %(n)d characters or fewer.") % {"n": MAX_TITLE})
    if due_on < today:
        raise CircleError(_("Choose a date from today on."))
    if target is not None and not 1 <= target <= MAX_TARGET:
        raise CircleError(_("Choose a target from 1 to %(n)d.") % {"n": MAX_TARGET})
    goal = Goal(
        circle_id=membership.circle_id,
        space_id=membership.circle.space_id,
        created_by=membership,
        title=title,
        due_on=due_on,
        target=target,
    )
    goal.save()
    audit_log(actor=membership.user, action="circles.goal.created", target=goal)
    return goal


def _celebrate(goal: Goal) -> None:
    members = Membership.objects.filter(circle_id=goal.circle_id, left_at__isnull=True)
    for member in members.select_related("user"):
        notify(
            user=member.user,
            kind="circle_goal",
            event_key=f"circle_goal:{goal.pk}",
            title=_("Your circle reached a shared goal. Well done, everyone!"),
            url=reverse("circles:goal", args=[goal.circle_id, goal.pk]),
        )


@transaction.atomic
def contribution_add(*, membership: Membership, goal: Goal, amount: int, note: str) -> Contribution:
    """Add to the goal; the contribution that reaches the target celebrates with everyone."""
    require_can_post(membership)
    goal = Goal.objects.select_for_update().get(pk=goal.pk, circle_id=membership.circle_id)
    if goal.is_reached:
        raise CircleError(_("This goal is already reached. Thank you for everything you gave!"))
    if not 1 <= amount <= MAX_AMOUNT:
        raise CircleError(_("Add from 1 to %(n)d at a time.") % {"n": MAX_AMOUNT})
    note = note.strip()
    if len(note) > MAX_GOAL_NOTE:
        raise CircleError(_("Keep the note to %(n)d characters or fewer.") % {"n": MAX_GOAL_NOTE})
    contribution = Contribution(
        goal=goal, space_id=goal.space_id, member=membership, amount=amount, note=note
    )
    contribution.save()
    Goal.objects.filter(pk=goal.pk).update(progress=F("progress") + amount)
    goal.refresh_from_db(fields=["progress"])
    if goal.target is not None and goal.progress >= goal.target:
        _reach(goal, membership)
    return contribution


def _reach(goal: Goal, membership: Membership) -> None:
    goal.reached_at = timezone.now()
    goal.save(update_fields=["reached_at"])
    audit_log(actor=membership.user, action="circles.goal.reached", target=goal)
    _celebrate(goal)


@transaction.atomic
def goal_mark_reached(*, membership: Membership, goal: Goal) -> Goal:
    """For goals without a count: a facilitator says when the circle got there."""
    if not membership.is_facilitator:
        raise CircleError(_("Only the circle's facilitators can do this."))
    goal = Goal.objects.select_for_update().get(pk=goal.pk, circle_id=membership.circle_id)
    if goal.is_reached:
        raise CircleError(_("This goal is already reached."))
    _reach(goal, membership)
    return goal
