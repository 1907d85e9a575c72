"""Every write to time together: plans (create, mark done, cancel) and the together timer."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.notifications.models import Kind
from confide.notifications.services import notify
from confide.pairs.models import Pair
from confide.pairs.services import PairError
from confide.pairs.services.common import active_member, joint_activities_open, partner_of
from confide.together import clock
from confide.together.models import MAX_MINUTES, MAX_NOTES, MAX_WHAT, MIN_MINUTES, Plan
from confide.together.models import TogetherTime as Time

PLAN_AHEAD = timedelta(days=2 * 365)


class TogetherError(PairError):
    """A request that cannot be done; the message says why, for the person."""


def _tell_partner(pair: Pair, person: User, *, key: str, title: str, url: str) -> None:
    """Tell the partner that something happened, never what the plan says."""
    partner = partner_of(pair, person)
    if partner is not None:
        notify(user=partner, kind=Kind.TIME_TOGETHER, event_key=key, title=title, url=url)


def _check_words(what: str, notes: str) -> tuple[str, str]:
    what, notes = what.strip(), notes.strip()
    if not what:
        raise TogetherError({"what": _("Say what you would like to do together.")})
    if len(what) > MAX_WHAT:
        raise TogetherError(
            {"what": _("Keep this to %(n)d characters or fewer.") % {"n": MAX_WHAT}}
        )
    if len(notes) > MAX_NOTES:
        raise TogetherError(
            {"notes": _("Keep the notes to %(n)d characters or fewer.") % {"n": MAX_NOTES}}
        )
    return what, notes


def _check_start(*, day: date, at: time, zone_name: str, now: datetime) -> datetime:
    zone = clock.zone_of(zone_name)
    try:
        starts_at = clock.local_start(day, at, zone)
    except clock.NoSuchLocalTime:
        raise TogetherError(
            {
                "start_time": _(
                    "The clocks skip that time on that day in %(zone)s. Choose another time."
                )
                % {"zone": zone.key}
            }
        ) from None
    if starts_at <= now:
        raise TogetherError(_("That time has already passed. Choose a time still to come."))
    if starts_at > now + PLAN_AHEAD:
        raise TogetherError(_("Plan at most two years ahead."))
    return starts_at


@transaction.atomic
def plan_create(
    *,
    pair: Pair,
    planner: User,
    what: str,
    notes: str,
    day: date,
    start_time: time,
    duration_minutes: int,
    device_free: bool,
    now: datetime | None = None,
) -> Plan:
    """A plan for both, starting at `day` `start_time` on the planner's own clock (their time
    zone), stored in UTC. A start that has passed is refused. The partner is told that time
    together was planned, never what."""
    pair = Pair.objects.select_related("space").get(pk=pair.pk)  # its state now, not as passed
    active_member(pair, planner)
    joint_activities_open(pair)
    what, notes = _check_words(what, notes)
    if not clock.duration_allowed(duration_minutes):
        raise TogetherError(
            {
                "duration_minutes": _("Plan from %(least)d minutes to %(most)d hours.")
                % {"least": MIN_MINUTES, "most": MAX_MINUTES // 60}
            }
        )
    starts_at = _check_start(
        day=day, at=start_time, zone_name=planner.time_zone, now=now or timezone.now()
    )
    plan = Plan(
        pair=pair,
        space=pair.space,
        planned_by=planner,
        what=what,
        notes=notes,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        time_zone=clock.zone_of(planner.time_zone).key,
        device_free=device_free,
    )
    plan.save()
    _tell_partner(
        pair,
        planner,
        key=f"together_plan:{plan.pk}",
        title=_("%(name)s planned time together") % {"name": planner.display_name},
        url=reverse("together:plan", args=[pair.pk, plan.pk]),
    )
    return plan


def _locked_plan(plan: Plan, person: User) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).select_related("pair").get(pk=plan.pk)
    active_member(plan.pair, person)
    if plan.status == Plan.Status.DONE:
        raise TogetherError(_("This plan is already marked done."))
    if plan.status == Plan.Status.CANCELLED:
        raise TogetherError(_("This plan was cancelled."))
    if Time.objects.filter(plan=plan, stopped_at__isnull=True).exists():
        raise TogetherError(_("The timer for this plan is still running. Stop it first."))
    return plan


def _close(plan: Plan, person: User, status: str, now: datetime) -> None:
    plan.status = status
    plan.closed_at = now
    plan.closed_by = person
    plan.save(update_fields=["status", "closed_at", "closed_by"])


@transaction.atomic
def plan_mark_done(*, plan: Plan, person: User, now: datetime | None = None) -> Plan:
    """Either partner marks a plan done once it has started: its planned minutes count as time
    together (device-free if the plan was)."""
    now = now or timezone.now()
    plan = _locked_plan(plan, person)
    if plan.starts_at > now:
        raise TogetherError(_("This time together has not started yet. Mark it done afterwards."))
    Time.objects.create(
        pair=plan.pair,
        source=Time.Source.PLAN,
        plan=plan,
        started_at=plan.starts_at,
        stopped_at=plan.ends_at,
        minutes=plan.duration_minutes,
        device_free=plan.device_free,
        started_by=person,
        stopped_by=person,
    )
    _close(plan, person, Plan.Status.DONE, now)
    return plan


@transaction.atomic
def plan_cancel(*, plan: Plan, person: User, now: datetime | None = None) -> Plan:
    """Either partner cancels a plan that is still planned; the other is told."""
    plan = _locked_plan(plan, person)
    _close(plan, person, Plan.Status.CANCELLED, now or timezone.now())
    _tell_partner(
        plan.pair,
        person,
        key=f"together_plan_cancelled:{plan.pk}",
        title=_("%(name)s cancelled a planned time together") % {"name": person.display_name},
        url=reverse("together:plan", args=[plan.pair_id, plan.pk]),
    )
    return plan


def _already_running() -> TogetherError:
    return TogetherError(
        _("The together timer is already running. Stop it before starting another.")
    )


@transaction.atomic
def timer_start(
    *, pair: Pair, person: User, plan: Plan | None = None, now: datetime | None = None
) -> Time:
    """Start the pair's together timer (one at a time). The server holds the start, so the
    timer survives reloads and shows on both partners' pages. Started from a plan, stopping it
    marks that plan done with the timer's minutes."""
    pair = Pair.objects.select_for_update().get(pk=pair.pk)  # both partners queue here
    active_member(pair, person)
    joint_activities_open(pair)
    if Time.objects.filter(pair=pair, stopped_at__isnull=True).exists():
        raise _already_running()
    if plan is not None:
        if plan.pair_id != pair.pk:
            raise TogetherError(_("This plan belongs to another pair."))
        still_planned = (
            Plan.objects.select_for_update().filter(pk=plan.pk, status=Plan.Status.PLANNED)
        ).exists()
        if not still_planned:
            raise TogetherError(_("This plan is no longer planned, so its timer cannot start."))
    try:
        with transaction.atomic():
            timer = Time.objects.create(
                pair=pair,
                source=Time.Source.TIMER,
                plan=plan,
                started_at=now or timezone.now(),
                device_free=True,
                started_by=person,
            )
    except IntegrityError:  # pragma: no cover - the pair lock above makes this a backstop
        raise _already_running() from None
    _tell_partner(
        pair,
        person,
        key=f"together_timer:{timer.pk}",
        title=_("%(name)s started the together timer") % {"name": person.display_name},
        url=reverse("together:index", args=[pair.pk]),
    )
    return timer


@transaction.atomic
def timer_stop(*, timer: Time, person: User, now: datetime | None = None) -> Time:
    """Either partner stops the running timer; its whole minutes (at most MAX_MINUTES) are
    recorded as distraction-free time together. Stopping it twice is refused."""
    now = now or timezone.now()
    # Locks in the same order as the plan services (plan, then time), so none waits in a cycle.
    plan = Plan.objects.select_for_update(of=("self",)).filter(times__pk=timer.pk).first()
    timer = Time.objects.select_for_update(of=("self",)).select_related("pair").get(pk=timer.pk)
    active_member(timer.pair, person)
    if timer.source != Time.Source.TIMER:
        raise TogetherError(_("Only the together timer can be stopped."))
    if not timer.is_running:
        raise TogetherError(_("This timer has already been stopped."))
    timer.stopped_at = max(now, timer.started_at)
    timer.minutes = clock.elapsed_minutes(timer.started_at, now)
    timer.stopped_by = person
    timer.save(update_fields=["stopped_at", "minutes", "stopped_by"])
    if plan is not None and plan.is_planned:
        _close(plan, person, Plan.Status.DONE, now)
    return timer
