"""Reads of the pair space, always scoped to what the viewer may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.pairs.models import (
    CheckIn,
    ListeningReply,
    Pair,
    PairInvitation,
    PromptAnswer,
    PromptRound,
    Visibility,
)
from confide.pairs.services.common import day_for

HISTORY_PAGE = 14
ROUNDS_PAGE = 10


@dataclass(frozen=True)
class PairSummary:
    pair: Pair
    partner: User | None


def pairs_for_person(*, user: User) -> list[PairSummary]:
    pairs = (
        Pair.objects.filter(members__user=user)
        .prefetch_related("members__user")
        .order_by("status", "-created_at")
    )
    return [
        PairSummary(pair, next((m.user for m in pair.members.all() if m.user_id != user.pk), None))
        for pair in pairs
    ]


def pairs_of_person(*, user: User) -> QuerySet[Pair]:
    """The person's pairs alone (no members), as `pairs_for_person` orders them."""
    return Pair.objects.filter(members__user=user).order_by("status", "-created_at")


def invitations_for_person(*, user: User) -> QuerySet[PairInvitation]:
    """Pending invitations addressed to the person's confirmed email address."""
    if not user.email_verified:
        return PairInvitation.objects.none()
    return PairInvitation.objects.filter(
        email=user.email, status=PairInvitation.Status.PENDING
    ).select_related("inviter")


def invitations_sent(*, user: User) -> QuerySet[PairInvitation]:
    return PairInvitation.objects.filter(
        inviter=user, status=PairInvitation.Status.PENDING
    ).order_by("-created_at")


def visible_checkins(*, pair: Pair, viewer: User) -> QuerySet[CheckIn]:
    """Own check-ins, and the partner's shared ones while the pair is active, each with
    `reply_count`: how many of its replies the viewer may read (counted in the same query;
    the replies themselves are read only on the check-in's own page)."""
    query = Q(author=viewer)
    if pair.is_active:
        query |= Q(visibility=Visibility.SHARED)
    replies = (
        visible_replies(pair=pair, viewer=viewer)
        .filter(checkin=OuterRef("pk"))
        .order_by()
        .values("checkin")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        CheckIn.objects.filter(query, pair=pair)
        .annotate(reply_count=Coalesce(Subquery(replies), 0))
        .order_by("-day", "created_at")
    )


def _with_authors(pair: Pair, checkins: list[CheckIn]) -> list[CheckIn]:
    """Each check-in's author from the pair's members (`access_pair` read them with their
    people), rather than joined again into every row."""
    people = {m.user_id: m.user for m in pair.members.all()}
    author = CheckIn._meta.get_field("author")
    for checkin in checkins:
        if checkin.author_id in people:
            author.set_cached_value(checkin, people[checkin.author_id])
    return checkins


def visible_replies(*, pair: Pair, viewer: User) -> QuerySet[ListeningReply]:
    """Replies the viewer may read: their own, and others' that are not withheld (while the
    pair is active)."""
    replies = ListeningReply.objects.select_related("author")
    if not pair.is_active:
        return replies.filter(author=viewer)
    return replies.filter(Q(author=viewer) | Q(withheld=False))


def checkins_today(*, pair: Pair, viewer: User, today: date) -> list[CheckIn]:
    return _with_authors(pair, list(visible_checkins(pair=pair, viewer=viewer).filter(day=today)))


def checkins_recent(
    *, pair: Pair, viewer: User, today: date
) -> tuple[list[CheckIn], list[CheckIn]]:
    """The newest page of check-ins, and today's: read from that page (newest days first),
    or on their own when later days fill it (a partner ahead in time zones, a moved clock)."""
    recent = _with_authors(pair, list(visible_checkins(pair=pair, viewer=viewer)[:HISTORY_PAGE]))
    if len(recent) == HISTORY_PAGE and recent[-1].day >= today:
        return recent, checkins_today(pair=pair, viewer=viewer, today=today)
    return recent, [c for c in recent if c.day == today]


def checkin_history(*, pair: Pair, viewer: User, page: str | int | None) -> Page[CheckIn]:
    found = Paginator(visible_checkins(pair=pair, viewer=viewer), HISTORY_PAGE).get_page(page)
    found.object_list = _with_authors(pair, list(found.object_list))
    return found


@dataclass(frozen=True, order=True)
class Rater:
    """Whose ratings a trend value is: keyed by the person's id (two partners may share a
    name), shown as "You" or their display name."""

    user_id: int
    name: str = field(compare=False)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class UnderstoodWeek:
    week_start: date
    by_person: dict[Rater, float]


def _rater(user_id: int, name: str, viewer: User) -> Rater:
    return Rater(user_id, str(_("You")) if user_id == viewer.pk else name)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def understood_trend(*, pair: Pair, viewer: User, weeks: int = 8) -> list[UnderstoodWeek]:
    """Weekly averages of how understood each person felt: after replies to their shared
    check-ins, and after guided conversations. Each rating counts on the rater's own calendar
    day (a check-in's `day`; a reflection's moment in the rater's time zone)."""
    query = Q(pair=pair, understood__isnull=False, visibility=Visibility.SHARED)
    if not pair.is_active:
        query &= Q(author=viewer)
    rows = CheckIn.objects.filter(query).values_list(
        "day", "author_id", "author__display_name", "understood"
    )
    buckets: dict[date, dict[Rater, list[int]]] = defaultdict(lambda: defaultdict(list))
    for day, user_id, name, rating in rows:
        if rating is not None:  # the query excludes them; this tells the type checker
            buckets[_monday(day)][_rater(user_id, name, viewer)].append(rating)
    for when, user_id, name, time_zone, rating in _dialogue_reflections(pair=pair, viewer=viewer):
        buckets[_monday(day_for(when, time_zone))][_rater(user_id, name, viewer)].append(rating)
    latest = sorted(buckets)[-weeks:]
    return [
        UnderstoodWeek(
            week, {rater: round(mean(v), 1) for rater, v in sorted(buckets[week].items())}
        )
        for week in latest
    ]


def _dialogue_reflections(*, pair: Pair, viewer: User) -> list[tuple[datetime, int, str, str, int]]:
    """How understood each felt after a guided conversation: the same 1-5 trend."""
    from confide.dialogue.models import Reflection  # the dialogue app builds on pairs

    query = Q(session__pair=pair)
    if not pair.is_active:
        query &= Q(author=viewer)
    return list(
        Reflection.objects.filter(query).values_list(
            "created_at", "author_id", "author__display_name", "author__time_zone", "understood"
        )
    )


def open_round(*, pair: Pair) -> PromptRound | None:
    return PromptRound.objects.filter(pair=pair, revealed_at__isnull=True).first()


def answers_visible(*, prompt_round: PromptRound, viewer: User, pair: Pair) -> list[PromptAnswer]:
    """Before the reveal, and in an ended pair, a person sees only their own answer."""
    answers = list(prompt_round.answers.select_related("author").all())
    if prompt_round.is_revealed and pair.is_active:
        return [a for a in answers if a.author_id == viewer.pk or not a.withheld]
    return [a for a in answers if a.author_id == viewer.pk]


def revealed_rounds(*, pair: Pair, viewer: User, page: str | int | None) -> Page[PromptRound]:
    answers = PromptAnswer.objects.select_related("author")
    if not pair.is_active:
        answers = answers.filter(author=viewer)
    else:
        answers = answers.filter(Q(author=viewer) | Q(withheld=False))
    rounds = (
        PromptRound.objects.filter(pair=pair, revealed_at__isnull=False)
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("-revealed_at")
    )
    return Paginator(rounds, ROUNDS_PAGE).get_page(page)
