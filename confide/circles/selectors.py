"""Reads of circles, always scoped to what the viewer (a membership) may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

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


def reaction_summary(reactions: list[Reaction], viewer: Membership) -> list[ReactionCount]:
    """Each validating reaction with how many gave it and whether the viewer did."""
    return [
        ReactionCount(
            kind,
            str(label),
            sum(1 for r in reactions if r.kind == kind),
            any(r.kind == kind and r.member_id == viewer.pk for r in reactions),
        )
        for kind, label in ReactionKind.choices
    ]


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
        .order_by("joined_at")
    )


def _visible(viewer: Membership) -> Q:
    if viewer.is_facilitator:
        return Q(status__in=[PostStatus.PUBLISHED, PostStatus.HELD])
    return Q(status=PostStatus.PUBLISHED) | Q(status=PostStatus.HELD, author=viewer)


def thread_page(*, viewer: Membership, page: str | int | None) -> Page[Thread]:
    threads = (
        Thread.objects.filter(_visible(viewer), circle_id=viewer.circle_id)
        .select_related("author")
        .prefetch_related("reactions")
        .order_by("-last_activity_at", "-created_at")
    )
    threads = moderation_selectors.visible_threads(viewer, threads)  # moderation hook: hidden
    return Paginator(threads, THREADS_PAGE).get_page(page)


def reply_page(*, viewer: Membership, thread: Thread, page: str | int | None) -> Page[Reply]:
    replies = (
        Reply.objects.filter(_visible(viewer), thread=thread)
        .select_related("author")
        .prefetch_related(Prefetch("reactions", queryset=Reaction.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    paginator = Paginator(replies, REPLIES_PAGE)
    if page == "last":  # where a new reply lands
        page = paginator.num_pages
    result = paginator.get_page(page)
    result.object_list = list(result.object_list)
    for reply in result.object_list:
        # Counted from the prefetched rows: no query per reply.
        setattr(reply, "summary", reaction_summary(list(reply.reactions.all()), viewer))  # noqa: B010
    return result


def thread_reactions(*, thread: Thread) -> list[Reaction]:
    return list(Reaction.objects.filter(thread=thread, reply__isnull=True))


def goals(*, circle: Circle) -> QuerySet[Goal]:
    return Goal.objects.filter(circle=circle).order_by("reached_at", "due_on", "created_at")


def contributions(*, goal: Goal) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(goal=goal)
        .select_related("member")
        .order_by("-created_at")[:CONTRIBUTIONS_SHOWN]
    )


def held_posts(*, circle: Circle) -> tuple[list[Thread], list[Reply]]:
    threads = Thread.objects.filter(circle=circle, status=PostStatus.HELD).select_related("author")
    replies = Reply.objects.filter(thread__circle=circle, status=PostStatus.HELD).select_related(
        "author", "thread"
    )
    return list(threads.order_by("created_at")), list(replies.order_by("created_at"))


def pending_requests(*, circle: Circle) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(circle=circle, status=JoinRequest.Status.PENDING).order_by(
        "created_at"
    )


def queue_size(*, circle: Circle) -> int:
    held = (
        Thread.objects.filter(circle=circle, status=PostStatus.HELD).count()
        + Reply.objects.filter(thread__circle=circle, status=PostStatus.HELD).count()
    )
    return held + pending_requests(circle=circle).count()


def open_invitations(*, circle: Circle) -> QuerySet[CircleInvitation]:
    return CircleInvitation.objects.filter(
        circle=circle, status=CircleInvitation.Status.PENDING
    ).order_by("-created_at")


def guidelines_versions(*, circle: Circle) -> QuerySet[Guidelines]:
    return Guidelines.objects.filter(circle=circle).order_by("-version")
