"""Reads of a pair's rhythm, always scoped to what the viewer may see.

A partner sees the other's shared appreciations and intentions while the pair is active; an
ended pair shows each person only their own. Gestures and lapse notes are only ever their
owner's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.rhythm import gestures
from confide.rhythm.days import BidWeek, Cell, bid_weeks, month_grid, next_month, week_start
from confide.rhythm.models import (
    Appreciation,
    Bid,
    ContractConsent,
    ContractDay,
    GestureIdea,
    GesturePick,
    LapseNote,
)

RECENT: Final = timedelta(weeks=6)  # a gesture done within this is not suggested again
SUGGESTIONS_PAGE: Final = 6
IDEAS_PAGE: Final = 20
LAPSES_PAGE: Final = 10
BID_WEEKS: Final = 4


def _active_members(pair: Pair) -> list[int]:
    return [m.user_id for m in pair.members.all() if m.left_at is None]


# --- appreciations ------------------------------------------------------------------------


def visible_appreciations(*, pair: Pair, viewer: User) -> QuerySet[Appreciation]:
    query = Q(author=viewer)
    if pair.is_active:
        query |= Q(shared=True)
    return Appreciation.objects.filter(query, pair=pair).select_related("author")


def appreciations_in_week(*, pair: Pair, viewer: User, start: date) -> list[Appreciation]:
    """Both partners' appreciations of the week that starts on `start` (a Monday)."""
    return list(
        visible_appreciations(pair=pair, viewer=viewer)
        .filter(day__gte=start, day__lt=start + timedelta(days=7))
        .order_by("day", "created_at")
    )


# --- gestures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PickView:
    pick: GesturePick
    text: str  # the gesture's words ("" if one's own idea was deleted since)
    kind: str
    effort: str


def _describe(pick: GesturePick) -> PickView:
    if pick.catalogue_id:
        gesture = gestures.gesture_by_id(pick.catalogue_id)
        if gesture is not None:
            return PickView(pick, gesture.text, gesture.kind_label, gesture.effort_label)
    if pick.idea is not None:
        idea = pick.idea
        return PickView(pick, idea.text, idea.get_kind_display(), idea.get_effort_display())
    return PickView(pick, "", "", "")


def pick_this_week(*, pair: Pair, person: User, today: date) -> PickView | None:
    pick = (
        GesturePick.objects.filter(pair=pair, person=person, week_start=week_start(today))
        .select_related("idea")
        .first()
    )
    return _describe(pick) if pick is not None else None


def recent_picks(*, pair: Pair, person: User, today: date, weeks: int = 8) -> list[PickView]:
    """The person's gestures of earlier weeks, newest first."""
    picks = GesturePick.objects.filter(
        pair=pair,
        person=person,
        week_start__lt=week_start(today),
        week_start__gte=week_start(today) - timedelta(weeks=weeks),
    ).select_related("idea")
    return [_describe(p) for p in picks.order_by("-week_start")]


def done_recently(*, pair: Pair, person: User, today: date) -> tuple[set[str], set[uuid.UUID]]:
    """Listed gesture ids and own idea ids the person did within RECENT: not suggested again."""
    rows = GesturePick.objects.filter(
        pair=pair, person=person, done_at__isnull=False, week_start__gte=today - RECENT
    ).values_list("catalogue_id", "idea_id")
    listed = {catalogue_id for catalogue_id, _ in rows if catalogue_id}
    own = {idea_id for _, idea_id in rows if idea_id is not None}
    return listed, own


def suggestions(
    *,
    pair: Pair,
    person: User,
    today: date,
    kind: str,
    effort: str,
    done: set[str],
    page: str | int | None,
) -> Page[gestures.Gesture]:
    chosen = gestures.suggest(
        gestures.catalogue(),
        done_recently=done,
        kind=kind,
        effort=effort,
        seed=gestures.week_seed(pair_id=pair.pk, person_id=person.pk, week_start=week_start(today)),
    )
    return Paginator(chosen, SUGGESTIONS_PAGE).get_page(page)


def own_ideas(*, pair: Pair, person: User, page: str | int | None) -> Page[GestureIdea]:
    ideas = GestureIdea.objects.filter(pair=pair, owner=person).order_by("-created_at")
    return Paginator(ideas, IDEAS_PAGE).get_page(page)


# --- bids ---------------------------------------------------------------------------------


def bid_summary(*, pair: Pair, viewer: User, today: date, weeks: int = BID_WEEKS) -> list[BidWeek]:
    """The last few weeks of bids noticed and met by each partner; in an ended pair, only the
    viewer's own."""
    since = week_start(today) - timedelta(weeks=weeks - 1)
    bids = Bid.objects.filter(pair=pair, day__gte=since, day__lte=today)
    people = _active_members(pair) if pair.is_active else [viewer.pk]
    if not pair.is_active:
        bids = bids.filter(person=viewer)
    rows = list(bids.values_list("day", "person_id", "kind"))
    return bid_weeks(rows, people=people, today=today, weeks=weeks)


# --- the recovery contract ----------------------------------------------------------------


def consents(*, pair: Pair) -> dict[int, ContractConsent]:
    return {c.person_id: c for c in ContractConsent.objects.filter(pair=pair)}


def contract_on(*, pair: Pair, found: dict[int, ContractConsent] | None = None) -> bool:
    """On while the pair is active and both of its people have opted in."""
    if not pair.is_active:
        return False
    found = consents(pair=pair) if found is None else found
    members = _active_members(pair)
    return len(members) == 2 and all(m in found for m in members)  # noqa: PLR2004


def contract_today(*, pair: Pair, viewer: User, today: date) -> ContractDay | None:
    """Today's shared intention, if one was stated."""
    return (
        ContractDay.objects.filter(pair=pair, day=today, shared=True)
        .select_related("stated_by", "acknowledged_by")
        .first()
    )


def own_held_intentions(*, pair: Pair, viewer: User, today: date) -> list[ContractDay]:
    """The viewer's own intentions of today that are not shared (held or kept private)."""
    return list(ContractDay.objects.filter(pair=pair, day=today, stated_by=viewer, shared=False))


def contract_month(
    *, pair: Pair, viewer: User, first: date, today: date, since: date | None
) -> list[list[Cell]]:
    """The month's calendar: kept days, stated days, and quiet ones, each on its own."""
    query = Q(shared=True)
    if not pair.is_active:
        query &= Q(stated_by=viewer) | Q(acknowledged_by=viewer)
    rows = ContractDay.objects.filter(
        query, pair=pair, day__gte=first, day__lt=next_month(first)
    ).values_list("day", "acknowledged_at")
    kept = [day for day, acknowledged in rows if acknowledged is not None]
    stated = [day for day, acknowledged in rows if acknowledged is None]
    return month_grid(first, kept=kept, stated=stated, since=since, today=today)


def contract_since(*, pair: Pair, found: dict[int, ContractConsent]) -> date | None:
    """The first day of the contract: its first stated day, or the day both had opted in."""
    first = (
        ContractDay.objects.filter(pair=pair, shared=True)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    started = None
    if contract_on(pair=pair, found=found):
        started = timezone.localdate(max(c.consented_at for c in found.values()))
    days = [d for d in (first, started) if d is not None]
    return min(days) if days else None


def lapse_notes(*, pair: Pair, viewer: User, page: str | int | None) -> Page[LapseNote]:
    return Paginator(LapseNote.objects.filter(pair=pair, author=viewer), LAPSES_PAGE).get_page(page)
