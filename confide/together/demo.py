"""Demo time together for the demo pair: past timers and plans, and a few plans to come."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from confide.accounts.models import User
from confide.pairs.models import Pair, PairMember
from confide.together import clock
from confide.together.models import Plan, TogetherTime

# (days ago, hour, minutes) of timers the pair ran.
TIMERS = [(19, 20, 35), (15, 21, 20), (12, 19, 45), (8, 20, 25), (4, 21, 50), (2, 19, 30)]
# (days from today, hour, minutes, device-free, what, notes, status)
PLANS = [
    (-17, 10, 90, True, "A slow walk round the lake", "Bring the flask of tea.", "done"),
    (-10, 18, 60, False, "Cooking dinner together", "", "done"),
    (-6, 19, 120, True, "Film night, phones in the drawer", "", "cancelled"),
    (1, 19, 90, True, "Board games and tea", "The new card game Blake found.", "planned"),
    (5, 9, 60, True, "Breakfast at the Saturday market", "", "planned"),
]


def _at(day: date, hour: int, zone_name: str) -> datetime:
    return clock.local_start(day, time(hour), clock.zone_of(zone_name))


def _plans(pair: Pair, alex: User, blake: User, today: date) -> None:
    now = timezone.now()
    for n, (offset, hour, minutes, device_free, what, notes, status) in enumerate(PLANS):
        planner = alex if n % 2 == 0 else blake
        starts_at = _at(today + timedelta(days=offset), hour, planner.time_zone)
        plan = Plan(
            pair=pair,
            space=pair.space,
            planned_by=planner,
            what=what,
            notes=notes,
            starts_at=starts_at,
            duration_minutes=minutes,
            time_zone=clock.zone_of(planner.time_zone).key,
            device_free=device_free,
            status=status,
            created_at=min(now, starts_at) - timedelta(days=3),
        )
        if status != Plan.Status.PLANNED:
            plan.closed_at = starts_at + timedelta(minutes=minutes)
            plan.closed_by = planner
        plan.save()
        if status == Plan.Status.DONE:
            TogetherTime.objects.create(
                pair=pair,
                source=TogetherTime.Source.PLAN,
                plan=plan,
                started_at=starts_at,
                stopped_at=plan.ends_at,
                minutes=minutes,
                device_free=device_free,
                started_by=planner,
                stopped_by=planner,
            )


def _timers(pair: Pair, alex: User, blake: User, today: date) -> None:
    for n, (ago, hour, minutes) in enumerate(TIMERS):
        starter, stopper = (alex, blake) if n % 2 == 0 else (blake, alex)
        started_at = _at(today - timedelta(days=ago), hour, alex.time_zone)
        TogetherTime.objects.create(
            pair=pair,
            source=TogetherTime.Source.TIMER,
            started_at=started_at,
            stopped_at=started_at + timedelta(minutes=minutes),
            minutes=minutes,
            device_free=True,
            started_by=starter,
            stopped_by=stopper,
        )


def demo_together(*, alex: User, blake: User, progress: Callable[[str], None]) -> None:
    """Idempotent: once the demo pair has any plan or time together, nothing is added."""
    member = PairMember.objects.filter(
        user=alex, pair__members__user=blake, pair__status=Pair.Status.ACTIVE
    ).first()
    if member is None:
        progress("no demo pair, so no time together")
        return
    pair = Pair.objects.select_related("space").get(pk=member.pair_id)
    if Plan.objects.filter(pair=pair).exists() or TogetherTime.objects.filter(pair=pair).exists():
        progress("time together is already there")
        return
    today = timezone.localdate(timezone=clock.zone_of(alex.time_zone))
    _plans(pair, alex, blake, today)
    _timers(pair, alex, blake, today)
    progress("three weeks of time together, and two plans to come")
