"""Reads of dialogues and topics, always scoped to a pair the viewer belongs to."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.dialogue.models import DialogueSession, Reflection, Step, Topic, WithheldTurn
from confide.pairs.models import Pair
from confide.pairs.selectors import Rater
from confide.pairs.services.common import day_for

SESSIONS_PAGE = 10
TOPICS_PAGE = 20


def open_session(*, pair: Pair) -> DialogueSession | None:
    return DialogueSession.objects.filter(pair=pair, closed_at__isnull=True).first()


def sessions_for_pair(*, pair: Pair, viewer: User, page: str | int | None) -> Page[DialogueSession]:
    sessions = (
        DialogueSession.objects.filter(Q(person_a=viewer) | Q(person_b=viewer), pair=pair)
        .select_related("topic")
        .order_by("-created_at")
    )
    return Paginator(sessions, SESSIONS_PAGE).get_page(page)


def topics_for_pair(*, pair: Pair, viewer: User, page: str | int | None) -> Page[Topic]:
    """The pair's topics; one kept private after a safety finding only for the person who
    raised it."""
    topics = (
        Topic.objects.filter(Q(raised_by=viewer) | Q(withheld=False), pair=pair)
        .select_related("raised_by")
        .order_by("-created_at")
    )
    return Paginator(topics, TOPICS_PAGE).get_page(page)


def open_topics(*, pair: Pair) -> list[Topic]:
    """Topics a conversation can be about: shared ones, not yet resolved."""
    return list(
        Topic.objects.filter(pair=pair, withheld=False)
        .exclude(status=Topic.Status.RESOLVED)
        .order_by("-created_at")[:50]
    )


def withheld_turns(*, session: DialogueSession, viewer: User) -> list[WithheldTurn]:
    """The viewer's own turns kept private after a safety finding (never the partner's)."""
    return list(WithheldTurn.objects.filter(session=session, author=viewer))


def steps_after(*, session: DialogueSession, after: int) -> list[Step]:
    """The stored steps with a sequence number above `after`, in order."""
    return list(
        Step.objects.filter(session=session, seq__gt=after).select_related("author").order_by("seq")
    )


def step_event(step: Step, *, viewer_id: object) -> dict[str, Any]:
    """A step as the socket sends it (and as the page embeds the latest state)."""
    return {
        "type": "step",
        "seq": step.seq,
        "kind": step.kind,
        "role": step.role,
        "mine": step.author_id == viewer_id,
        "author": step.author.display_name,
        "text": step.text,
        "at": step.created_at.isoformat(),
        "state": step.state,
    }


def reflections_for(*, session: DialogueSession) -> list[Reflection]:
    return list(session.reflections.select_related("author").all())


@dataclass(frozen=True)
class ReflectionWeek:
    week_start: date
    by_person: dict[Rater, float]


def reflection_trend(*, pair: Pair, viewer: User, weeks: int = 8) -> list[ReflectionWeek]:
    """Weekly averages of how understood each partner felt after guided conversations, by
    person (not by name: two partners may share one), each on their own calendar day."""
    rows = Reflection.objects.filter(session__pair=pair).values_list(
        "created_at", "author_id", "author__display_name", "author__time_zone", "understood"
    )
    buckets: dict[date, dict[Rater, list[int]]] = defaultdict(lambda: defaultdict(list))
    for at, user_id, name, time_zone, rating in rows:
        day = day_for(at, time_zone)
        rater = Rater(user_id, str(_("You")) if user_id == viewer.pk else name)
        buckets[day - timedelta(days=day.weekday())][rater].append(rating)
    latest = sorted(buckets)[-weeks:]
    return [
        ReflectionWeek(week, {r: round(mean(v), 1) for r, v in sorted(buckets[week].items())})
        for week in latest
    ]
