"""Reads for care pages, always scoped. What a counsellor reads of a client is gathered only
after `access.access_client_data` allowed it, and only from what that client wrote or answered:
shared, never private, never held back by the screener."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.care.access import clients_of, effective_scope, person_today
from confide.care.models import (
    CareConsent,
    CareRelationship,
    ConsentChange,
    CounsellorDecision,
    CounsellorNote,
    CounsellorProfile,
    FindingTally,
    Homework,
    Scope,
)

PATTERN_WEEKS = 8
SHARED_LIMIT = 20
CONSOLE_PAGE = 20
CASES_PAGE = 20
HOMEWORK_PAGE = 20
TOPICS_PAGE = 20
HISTORY_PAGE = 20
NOTES_PAGE = 20


def _page(rows: QuerySet[Any], size: int, page: str | int | None) -> Page[Any]:
    """Django's `get_page` (a bad number is the first page, one past the end the last), with the
    rows read once, so a caller may both record and render them."""
    found = Paginator(rows, size).get_page(page)
    found.object_list = list(found.object_list)
    return found


@dataclass
class ClientRow:
    person: User
    scope: Scope
    until: date | None


@dataclass
class Case:
    relationship: CareRelationship
    clients: list[ClientRow]
    homework: list[Homework] = field(default_factory=list)  # the open homework only

    @property
    def open_homework(self) -> int:
        return sum(1 for h in self.homework if not h.is_done)


def _relationships() -> Any:
    return CareRelationship.objects.select_related(
        "pair", "person", "counsellor", "ended_by"
    ).prefetch_related(
        "pair__members__user",
        "consents",
        # Open homework only (a count on the clients page); the lists read a page of their own.
        Prefetch("homework", queryset=Homework.objects.filter(done_at__isnull=True)),
    )


def _case(relationship: CareRelationship) -> Case:
    consents = {c.person_id: c for c in relationship.consents.all()}
    rows = []
    for client in clients_of(relationship):
        consent = consents.get(client.pk)
        rows.append(
            ClientRow(
                client,
                effective_scope(consent, today=person_today(client), active=relationship.is_active),
                consent.until if consent else None,
            )
        )
    return Case(relationship, rows, list(relationship.homework.all()))


def cases_for_counsellor(*, counsellor: User, page: str | int | None) -> Page[Case]:
    """One page of the counsellor's open relationships, the newest first, with each client's
    consent as it holds today."""
    found = _page(
        _relationships()
        .filter(counsellor=counsellor, ended_at__isnull=True)
        .order_by("-started_at", "-pk"),
        CASES_PAGE,
        page,
    )
    found.object_list = [_case(r) for r in found.object_list]
    return found


def case_for(relationship: CareRelationship) -> Case:
    return _case(_relationships().get(pk=relationship.pk))


def relationships_for_client(*, person: User, page: str | int | None) -> Page[Case]:
    """One page of the relationships the person is a client in (their own and their pairs'),
    newest first."""
    from django.db.models import Q

    from confide.pairs.models import PairMember

    pair_ids = list(PairMember.objects.filter(user=person).values_list("pair_id", flat=True))
    found = _page(
        _relationships()
        .filter(Q(person=person) | Q(pair_id__in=pair_ids))
        .order_by("-started_at", "-pk"),
        CASES_PAGE,
        page,
    )
    found.object_list = [_case(r) for r in found.object_list]
    return found


def consent_history(
    *, relationship: CareRelationship, page: str | int | None
) -> Page[ConsentChange]:
    """One page of the changes to consent, the latest first."""
    found = ConsentChange.objects.filter(relationship=relationship).select_related("person")
    return _page(found.order_by("-at", "-pk"), HISTORY_PAGE, page)


def consent_of(*, relationship: CareRelationship, person: User) -> CareConsent | None:
    return CareConsent.objects.filter(relationship=relationship, person=person).first()


def notes_for(
    *, counsellor: User, relationship: CareRelationship, page: str | int | None
) -> Page[CounsellorNote]:
    """One page of the counsellor's notes on one relationship, newest first."""
    notes = CounsellorNote.objects.filter(counsellor=counsellor, relationship=relationship)
    return _page(notes.order_by("-created_at", "-pk"), NOTES_PAGE, page)


def profile_of(user: User) -> CounsellorProfile | None:
    return CounsellorProfile.objects.filter(user=user).first()


def verified_counsellors(*, page: str | int | None) -> Page[CounsellorProfile]:
    """One page of verified counsellors, by name (`?page=abc` is the first page, `?page=999`
    the last, as on every paginated page)."""
    found = (
        CounsellorProfile.objects.filter(status=CounsellorProfile.Status.VERIFIED)
        .select_related("user")
        .order_by("name", "pk")
    )
    return _page(found, CONSOLE_PAGE, page)


def latest_decision(profile: CounsellorProfile) -> CounsellorDecision | None:
    """The decision behind the profile's current state (None while it waits)."""
    if profile.status == CounsellorProfile.Status.PENDING:
        return None
    return profile.decisions.filter(outcome=profile.status).first()


def pending_applications(*, page: str | int | None) -> Page[CounsellorProfile]:
    """One page of applications waiting, the oldest first."""
    found = (
        CounsellorProfile.objects.filter(status=CounsellorProfile.Status.PENDING)
        .select_related("user")
        .order_by("applied_at", "pk")
    )
    return _page(found, CONSOLE_PAGE, page)


# --- a client's data, by kind ---------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    title: str
    count: int
    first: float
    latest: float
    change: str  # reliably better / no reliable change / reliably worse, or "" without norms
    rci: float | None


def client_measures(*, relationship: CareRelationship, client: User) -> list[MeasureRow]:
    """The client's own measures (alone, and in this pair) with the reliable change index."""
    from confide.measures.progress import LABELS
    from confide.measures.selectors import norms_for, own_series
    from confide.measures.services import pair_context

    contexts = {""} | ({pair_context(relationship.pair)} if relationship.pair else set())
    series = [s for s in own_series(person=client) if s.context in contexts]
    norms = norms_for(list({s.instrument.id: s.instrument for s in series}.values()))
    rows = []
    for s in series:
        change = s.change(norms[s.instrument.id])
        rows.append(
            MeasureRow(
                title=s.instrument.title,
                count=len(s.responses),
                first=s.totals[0],
                latest=s.totals[-1],
                change=_(LABELS[change.label]) if change else "",
                rci=round(change.rci, 2) if change else None,
            )
        )
    return rows


def client_topics(*, relationship: CareRelationship, client: User) -> list[Any]:
    """Topics the client raised in the pair (their titles and status), never held-back ones."""
    from confide.dialogue.models import Topic

    if relationship.pair is None:
        return []
    return list(
        Topic.objects.filter(pair=relationship.pair, raised_by=client, withheld=False).order_by(
            "-updated_at"
        )
    )


def client_topic_page(
    *, relationship: CareRelationship, client: User, page: str | int | None
) -> Page[Any]:
    """One page of the topics the client raised, the latest changed first."""
    from confide.dialogue.models import Topic

    found = Topic.objects.none()
    if relationship.pair is not None:
        found = Topic.objects.filter(pair=relationship.pair, raised_by=client, withheld=False)
    return _page(found.order_by("-updated_at", "-pk"), TOPICS_PAGE, page)


@dataclass(frozen=True)
class WeekFigures:
    week: date
    harsh: dict[str, int]
    replies: int
    ratings: int
    mean_rating: float | None


def client_patterns(*, relationship: CareRelationship, client: User) -> list[WeekFigures]:
    """Figures by week over the last weeks: harsh findings by subtype, listening replies the
    client wrote, and how understood they said they felt. Never any text."""
    from confide.pairs.models import CheckIn, ListeningReply

    today = person_today(client)
    start = today - timedelta(days=today.weekday(), weeks=PATTERN_WEEKS - 1)
    weeks = [start + timedelta(weeks=i) for i in range(PATTERN_WEEKS)]

    def week_of(day: date) -> date:
        return day - timedelta(days=day.weekday())

    harsh: dict[date, dict[str, int]] = defaultdict(dict)
    for tally in FindingTally.objects.filter(user=client, day__gte=start, label="harsh"):
        bucket = harsh[week_of(tally.day)]
        bucket[tally.subtype] = bucket.get(tally.subtype, 0) + tally.count
    replies: dict[date, int] = defaultdict(int)
    reply_rows = ListeningReply.objects.filter(author=client, withheld=False)
    checkins = CheckIn.objects.filter(author=client, understood__isnull=False, day__gte=start)
    if relationship.pair is not None:
        reply_rows = reply_rows.filter(checkin__pair=relationship.pair)
        checkins = checkins.filter(pair=relationship.pair)
    for created in reply_rows.filter(checkin__day__gte=start).values_list(
        "checkin__day", flat=True
    ):
        replies[week_of(created)] += 1
    ratings: dict[date, list[int]] = defaultdict(list)
    for day, understood in checkins.values_list("day", "understood"):
        if understood is not None:
            ratings[week_of(day)].append(understood)
    return [
        WeekFigures(
            week=w,
            harsh=dict(sorted(harsh[w].items())),
            replies=replies[w],
            ratings=len(ratings[w]),
            mean_rating=round(sum(ratings[w]) / len(ratings[w]), 1) if ratings[w] else None,
        )
        for w in weeks
    ]


@dataclass
class Shared:
    checkins: list[Any]
    replies: list[Any]
    steps: list[Any]


def client_shared(*, relationship: CareRelationship, client: User) -> Shared:
    """What the client shared with their partner: check-ins, replies and their turns in kept
    conversation transcripts. Private and held-back entries are never included."""
    from confide.dialogue.models import Step
    from confide.pairs.models import CheckIn, ListeningReply, Visibility

    if relationship.pair is None:
        return Shared([], [], [])
    pair = relationship.pair
    checkins = list(
        CheckIn.objects.filter(
            pair=pair, author=client, visibility=Visibility.SHARED, withheld=False
        ).order_by("-day")[:SHARED_LIMIT]
    )
    replies = list(
        ListeningReply.objects.filter(
            checkin__pair=pair,
            author=client,
            withheld=False,
            checkin__visibility=Visibility.SHARED,
            checkin__withheld=False,
        )
        .select_related("checkin")
        .order_by("-created_at")[:SHARED_LIMIT]
    )
    found = Step.objects.filter(
        session__pair=pair, author=client, session__transcript_deleted_at__isnull=True
    ).order_by("-created_at")[:SHARED_LIMIT]
    steps = [step for step in found if step.text]
    return Shared(checkins, replies, steps)


@dataclass(frozen=True)
class HomeworkOffer:
    """The kinds of homework a counsellor may set today, and one line on those not offered."""

    kinds: list[str]
    not_offered: str  # "" when every kind is offered


def homework_offer(case: Case) -> HomeworkOffer:
    """Offer only the kinds every client's consent covers today. The line says which kinds are
    left out and why, naming each client's scope as it holds today, never how it changed."""
    from django.utils.text import get_text_list

    from confide.care.access import HOMEWORK_NEEDS, homework_kinds_allowed
    from confide.care.models import HomeworkKind

    kinds = homework_kinds_allowed([row.scope for row in case.clients])
    missing = [kind for kind in HomeworkKind.values if kind not in kinds]
    if not missing:
        return HomeworkOffer(kinds, "")
    if not case.clients:
        return HomeworkOffer(kinds, _("No exercise can be set: this care has no clients today."))
    most = max(HOMEWORK_NEEDS[kind] for kind in missing)
    who = get_text_list(
        [
            _("%(name)s (%(scope)s)") % {"name": row.person.display_name, "scope": row.scope.label}
            for row in case.clients
            if row.scope < most
        ],
        _("and"),
    )
    if not kinds:
        line = _(
            "No exercise is offered, because of what each person lets you see today: %(who)s."
        ) % {"who": who}
    else:
        line = _(
            "Not offered: %(kinds)s, because of what each person lets you see today: %(who)s."
        ) % {
            "kinds": get_text_list(
                [str(HomeworkKind(kind).label).lower() for kind in missing], _("and")
            ),
            "who": who,
        }
    return HomeworkOffer(kinds, line)


def homework_due_for(*, person: User, pair_ids: list[uuid.UUID] | None = None) -> list[Homework]:
    """Open homework of the person's open relationships, soonest first, for the home page: what
    homework_lines names (of the relationship, its pair alone). `pair_ids`: the pairs the person
    has not left, when the caller has read them already."""
    from django.db.models import Q

    from confide.pairs.models import PairMember

    pairs = (
        pair_ids
        if pair_ids is not None
        else PairMember.objects.filter(user=person, left_at__isnull=True).values_list(
            "pair_id", flat=True
        )
    )
    return list(
        Homework.objects.filter(
            Q(relationship__person=person) | Q(relationship__pair_id__in=pairs),
            relationship__ended_at__isnull=True,
            done_at__isnull=True,
        )
        .select_related("relationship")
        .only("relationship_id", "kind", "target", "due_on", "relationship__pair_id")
        .order_by("due_on", "pk")
    )


def homework_page(*, relationship: CareRelationship, page: str | int | None) -> Page[Homework]:
    """One page of a relationship's homework, the latest due first."""
    found = Homework.objects.filter(relationship=relationship).select_related("relationship")
    return _page(found.order_by("-due_on", "-pk"), HOMEWORK_PAGE, page)


@dataclass(frozen=True)
class HomeworkLine:
    """One homework as a person reads it: what to do, in words, and where to do it."""

    homework: Homework
    what: str
    url: str | None


def homework_lines(items: list[Homework], *, topics_visible: bool) -> list[HomeworkLine]:
    """Name each homework by the exercise's title (a measure's, a deck's, a topic's), never by
    its internal id. A topic's title is named only when `topics_visible` (its clients, or a
    counsellor whose clients all share topics today); otherwise the kind alone."""
    from django.urls import reverse
    from django.urls.exceptions import NoReverseMatch

    from confide.care.models import HomeworkKind
    from confide.dialogue.models import Topic
    from confide.measures.registry import all_instruments
    from confide.pairs.content import TOPIC_LABELS

    instruments = all_instruments()
    topic_ids = [h.target for h in items if h.kind == HomeworkKind.DIALOGUE and h.target]
    topics = (
        {str(t.pk): t for t in Topic.objects.filter(pk__in=topic_ids, withheld=False)}
        if topics_visible and topic_ids
        else {}
    )
    lines = []
    for homework in items:
        kind = str(homework.get_kind_display())
        pair_id = homework.relationship.pair_id
        name: str | None = None
        url: str | None = None
        try:
            if homework.kind == HomeworkKind.MEASURE and homework.target in instruments:
                instrument = instruments[homework.target]
                name = str(instrument.title)
                url = (
                    reverse("measures:take_pair", args=[pair_id, instrument.id])
                    if instrument.audience == "pair" and pair_id
                    else reverse("measures:take", args=[instrument.id])
                )
            elif homework.kind == HomeworkKind.PROMPTS and pair_id:
                name = str(TOPIC_LABELS.get(homework.target, "")) or None
                url = reverse("pairs:prompts", args=[pair_id])
            elif homework.kind == HomeworkKind.DIALOGUE and pair_id:
                topic = topics.get(homework.target)
                name = topic.title if topic is not None else None
                url = (
                    reverse("dialogue:topic", args=[pair_id, topic.pk])
                    if topic is not None
                    else reverse("dialogue:topics", args=[pair_id])
                )
            elif homework.kind == HomeworkKind.GESTURES and pair_id:
                url = reverse("rhythm:gestures", args=[pair_id])
        except NoReverseMatch:
            url = None
        what = _("%(kind)s: %(name)s") % {"kind": kind, "name": name} if name else kind
        lines.append(HomeworkLine(homework=homework, what=what, url=url))
    return lines


@dataclass(frozen=True)
class NoteLine:
    note: CounsellorNote
    about: str  # the clients' names, "" when the relationship is no longer on record
    open_case: bool  # the relationship is still open, so its page can be linked


def note_lines(
    *, counsellor: User, page: str | int | None
) -> tuple[Page[CounsellorNote], list[NoteLine]]:
    """One page of a counsellor's notes, newest first, each with whom it is about, so a list of
    many clients' notes can be told apart."""
    from django.utils.text import get_text_list

    notes = _page(
        CounsellorNote.objects.filter(counsellor=counsellor)
        .select_related("relationship__pair", "relationship__person")
        .prefetch_related("relationship__pair__members__user")
        .order_by("-created_at", "-pk"),
        NOTES_PAGE,
        page,
    )
    lines = []
    for note in notes:
        relationship = note.relationship
        names = [c.display_name for c in clients_of(relationship)] if relationship else []
        lines.append(
            NoteLine(
                note=note,
                about=get_text_list(names, _("and")) if names else "",
                open_case=relationship is not None and relationship.is_active,
            )
        )
    return notes, lines
