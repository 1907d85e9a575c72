"""Reads of time together, always scoped to one pair (call after access_pair)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from confide.pairs.models import Pair
from confide.together import clock
from confide.together.models import Plan, TogetherTime

PLANS_PAGE = 10
RECENT = 5


def running_timer(*, pair: Pair) -> TogetherTime | None:
    return (
        TogetherTime.objects.filter(pair=pair, stopped_at__isnull=True)
        .select_related("started_by", "plan")
        .first()
    )


def plans_coming(*, pair: Pair, page: str | int | None) -> Page[Plan]:
    """Plans still planned, soonest first (including ones whose time has come and gone, so the
    pair can mark them done or cancel them)."""
    plans = Plan.objects.filter(pair=pair, status=Plan.Status.PLANNED).select_related("planned_by")
    return Paginator(plans.order_by("starts_at", "created_at"), PLANS_PAGE).get_page(page)


def recent_times(*, pair: Pair) -> list[TogetherTime]:
    """The latest recorded times together (stopped timers and plans marked done)."""
    return list(
        TogetherTime.objects.filter(pair=pair, stopped_at__isnull=False)
        .select_related("plan", "stopped_by")
        .order_by("-started_at")[:RECENT]
    )


def plan_time(*, plan: Plan) -> TogetherTime | None:
    return TogetherTime.objects.filter(plan=plan).first()


@dataclass
class Week:
    first: date
    last: date
    minutes: int = 0
    device_free_minutes: int = 0
    planned: int = 0  # plans starting this week, not cancelled
    done: int = 0  # of those, marked done


@dataclass
class Month:
    year: int
    month: int
    weeks: list[Week]
    plans: list[Plan] = field(default_factory=list)

    @property
    def first(self) -> date:
        return self.weeks[0].first

    @property
    def minutes(self) -> int:
        return sum(w.minutes for w in self.weeks)

    @property
    def device_free_minutes(self) -> int:
        return sum(w.device_free_minutes for w in self.weeks)

    @property
    def planned(self) -> int:
        return sum(w.planned for w in self.weeks)

    @property
    def done(self) -> int:
        return sum(w.done for w in self.weeks)


def _week_of(weeks: list[Week], day: date) -> Week | None:
    return next((w for w in weeks if w.first <= day <= w.last), None)


def month_summary(*, pair: Pair, zone: ZoneInfo, year: int, month: int) -> Month:
    """Minutes together per week and plans planned against done, for one calendar month on the
    viewer's clock. Two queries, whatever the amount of data."""
    weeks = [Week(first, last) for first, last in clock.month_weeks(year, month)]
    first, after = clock.month_days(year, month)
    start, _ = clock.day_bounds(first, zone)
    end, _ = clock.day_bounds(after, zone)
    times = TogetherTime.objects.filter(
        pair=pair, stopped_at__isnull=False, started_at__gte=start, started_at__lt=end
    ).only("started_at", "minutes", "device_free")
    for item in times:
        week = _week_of(weeks, _local_day(item.started_at, zone))
        if week is not None and item.minutes:
            week.minutes += item.minutes
            if item.device_free:
                week.device_free_minutes += item.minutes
    plans = list(
        Plan.objects.filter(pair=pair, starts_at__gte=start, starts_at__lt=end)
        .select_related("planned_by")
        .order_by("starts_at")
    )
    for plan in plans:
        week = _week_of(weeks, _local_day(plan.starts_at, zone))
        if week is None or plan.status == Plan.Status.CANCELLED:
            continue
        week.planned += 1
        if plan.status == Plan.Status.DONE:
            week.done += 1
    return Month(year, month, weeks, plans)


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def plans_today(*, pair_ids: list[uuid.UUID], day: date, zone: ZoneInfo) -> QuerySet[Plan]:
    """Plans still planned that start on `day` (the person's own date) in the given pairs (the
    active pairs the person belongs to), soonest first: the time and the pair, never the words."""
    start, end = clock.day_bounds(day, zone)
    return (
        Plan.objects.filter(
            pair_id__in=pair_ids,
            status=Plan.Status.PLANNED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .only("id", "pair_id", "starts_at")
        .order_by("starts_at")
    )
