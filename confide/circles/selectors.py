"""Reads of circles, always scoped to what the viewer (a membership) may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from confide.accounts.models import User
from confide.circles.models import (
    Circle,
    CircleInvitation,
    Contribution,
    Goal,
    Guidelines,
    JoinRequest,
    Membership,
    PostStatus,
    Reaction,
    ReactionKind,
    Reply,
    Role,
    Thread,
)
from confide.moderation import selectors as moderation_selectors  # hook: hidden threads

THREADS_PAGE = 20
REPLIES_PAGE = 25
MEMBERS_PAGE = 30
INVITATIONS_PAGE = 20
REQUESTS_PAGE = 20
HELD_PAGE = 10  # each held post is shown in full
CONTRIBUTIONS_SHOWN = 50


def facilitates_a_circle(user: User) -> bool:
    """Facilitators (and owners) of any circle must use two-step login (accounts/twofactor.py)."""
    return Membership.objects.filter(
        user=user, left_at__isnull=True, role__in=(Role.OWNER, Role.FACILITATOR)
    ).exists()


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    label: str
    count: int
    mine: bool

    @property
    def button(self) -> str:
        """What pressing its button does (circles.forms.ReactionForm): give it, or take it back."""
        return f"{'take' if self.mine else 'give'}:{self.kind}"


def reaction_summaries(
    *, viewer: Membership, thread: Thread, replies: Sequence[Reply]
) -> dict[uuid.UUID | None, list[ReactionCount]]:
    """Each validating reaction with how many gave it and whether the viewer did, for the thread
    (key None) and each of the replies shown: one grouped query, counts instead of rows."""
    rows = (
        Reaction.objects.filter(
            Q(thread=thread, reply__isnull=True) | Q(reply_id__in=[r.pk for r in replies])
        )
        .values("reply_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(member_id=viewer.pk)))
        .order_by()
    )
    counts: dict[tuple[uuid.UUID | None, str], tuple[int, bool]] = {
        (row["reply_id"], row["kind"]): (row["n"], row["mine"] > 0) for row in rows
    }
    labels = [(kind, str(label)) for kind, label in ReactionKind.choices]
    posts: list[uuid.UUID | None] = [None, *(r.pk for r in replies)]
    return {
        post: [
            ReactionCount(kind, label, *counts.get((post, kind), (0, False)))
            for kind, label in labels
        ]
        for post in posts
    }


def memberships_for_person(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, left_at__isnull=True)
        .select_related("circle")
        .order_by("circle__name")
    )


def members(*, circle: Circle) -> QuerySet[Membership]:
    """Active members: only what each chose to show here (never their account)."""
    return (
        Membership.objects.filter(circle=circle, left_at__isnull=True)
        .only(
            "id",
            "circle_id",
            "space_id",
            "role",
            "pseudonym",
            "about",
            "pronouns",
            "background",
            "brings",
            "joined_at",
            "left_at",
        )
        .order_by("joined_at", "pk")
    )


def member_page(*, circle: Circle, page: str | int | None) -> Page[Membership]:
    """One page of the members list, the longest-standing first."""
    return Paginator(members(circle=circle), MEMBERS_PAGE).get_page(page)


def _visible(viewer: Membership) -> Q:
    if viewer.is_facilitator:
        return Q(status__in=[PostStatus.PUBLISHED, PostStatus.HELD])
    return Q(status=PostStatus.PUBLISHED) | Q(status=PostStatus.HELD, author=viewer)


def _count(rows: QuerySet[Any], outer: str) -> Coalesce:
    """How many of `rows` there are for each outer row (`outer` names the field that refers to
    it), as a subquery: a number per row without fetching the rows."""
    counted = rows.order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def thread_page(*, viewer: Membership, page: str | int | None) -> Page[Thread]:
    threads: QuerySet[Thread] = (
        Thread.objects.filter(_visible(viewer), circle_id=viewer.circle_id)
        .select_related("author")
        .defer("body")  # the list shows titles; a body is read on its thread's page
        .annotate(reaction_total=_count(Reaction.objects.filter(thread=OuterRef("pk")), "thread"))
        .order_by("-last_activity_at", "-created_at")
    )
    threads = moderation_selectors.visible_threads(viewer, threads)  # moderation hook: hidden
    return Paginator(threads, THREADS_PAGE).get_page(page)


def reply_page(*, viewer: Membership, thread: Thread, page: str | int | None) -> Page[Reply]:
    replies = (
        Reply.objects.filter(_visible(viewer), thread=thread)
        .select_related("author")
        .order_by("created_at", "id")
    )
    paginator = Paginator(replies, REPLIES_PAGE)
    if page == "last":  # where a new reply lands
        page = paginator.num_pages
    result = paginator.get_page(page)
    result.object_list = list(result.object_list)
    return result


def goals(*, circle: Circle) -> QuerySet[Goal]:
    return Goal.objects.filter(circle=circle).order_by("reached_at", "due_on", "created_at")


def contributions(*, goal: Goal) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(goal=goal)
        .select_related("member")
        .order_by("-created_at")[:CONTRIBUTIONS_SHOWN]
    )


def held_posts(
    *, circle: Circle, threads_page: str | int | None, replies_page: str | int | None
) -> tuple[Page[Thread], Page[Reply]]:
    """A page of the held threads and one of the held replies, the oldest first."""
    threads = Thread.objects.filter(circle=circle, status=PostStatus.HELD).select_related("author")
    replies = Reply.objects.filter(thread__circle=circle, status=PostStatus.HELD).select_related(
        "author", "thread"
    )
    return (
        Paginator(threads.order_by("created_at", "pk"), HELD_PAGE).get_page(threads_page),
        Paginator(replies.order_by("created_at", "pk"), HELD_PAGE).get_page(replies_page),
    )


def pending_requests(*, circle: Circle, page: str | int | None) -> Page[JoinRequest]:
    """One page of the requests to join, the oldest first."""
    requests = JoinRequest.objects.filter(circle=circle, status=JoinRequest.Status.PENDING)
    return Paginator(requests.order_by("created_at", "pk"), REQUESTS_PAGE).get_page(page)


def queue_size(*, circle: Circle) -> int:
    """Held threads and replies and pending join requests, counted in one query."""
    counts = Circle.objects.filter(pk=circle.pk).values_list(
        _count(Thread.objects.filter(circle=OuterRef("pk"), status=PostStatus.HELD), "circle"),
        _count(
            Reply.objects.filter(thread__circle=OuterRef("pk"), status=PostStatus.HELD),
            "thread__circle",
        ),
        _count(
            JoinRequest.objects.filter(circle=OuterRef("pk"), status=JoinRequest.Status.PENDING),
            "circle",
        ),
    )
    return sum(counts.get())


def open_invitations(*, circle: Circle) -> QuerySet[CircleInvitation]:
    return CircleInvitation.objects.filter(
        circle=circle, status=CircleInvitation.Status.PENDING
    ).order_by("-created_at", "-pk")


def invitation_page(*, circle: Circle, page: str | int | None) -> Page[CircleInvitation]:
    """One page of the links not used yet, the newest first."""
    return Paginator(open_invitations(circle=circle), INVITATIONS_PAGE).get_page(page)


def guidelines_versions(*, circle: Circle) -> QuerySet[Guidelines]:
    return Guidelines.objects.filter(circle=circle).order_by("-version")
