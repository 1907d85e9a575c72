"""Fetch and authorise in one step. Anything the viewer may not see is a 404."""

from __future__ import annotations

import uuid

from django.http import Http404

from confide.accounts.models import User
from confide.circles.models import (
    Circle,
    Goal,
    JoinRequest,
    Meeting,
    Membership,
    PostStatus,
    Reply,
    Round,
    Thread,
)


def access_circle(user: User, circle_id: uuid.UUID | str) -> Membership:
    """The person's active membership of the circle (with the circle), or 404."""
    membership = (
        Membership.objects.select_related("circle", "user")
        .filter(circle_id=circle_id, user=user, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def access_circle_as_facilitator(user: User, circle_id: uuid.UUID | str) -> Membership:
    membership = access_circle(user, circle_id)
    if not membership.is_facilitator:
        raise Http404
    return membership


def access_circle_to_request(circle_id: uuid.UUID | str) -> Circle:
    """A circle whose request link someone holds: they learn its name, nothing more."""
    circle = Circle.objects.filter(pk=circle_id).first()
    if circle is None:
        raise Http404
    return circle


def can_see_post(membership: Membership, status: str, author_id: object) -> bool:
    """Published posts are for every member; held ones for their author and facilitators."""
    if status == PostStatus.PUBLISHED:
        return True
    return membership.is_facilitator or (status == PostStatus.HELD and author_id == membership.pk)


def access_thread(membership: Membership, thread_id: uuid.UUID | str) -> Thread:
    thread = (
        Thread.objects.select_related("author")
        .filter(pk=thread_id, circle_id=membership.circle_id)
        .first()
    )
    if thread is None or not can_see_post(membership, thread.status, thread.author_id):
        raise Http404
    return thread


def access_goal(membership: Membership, goal_id: uuid.UUID | str) -> Goal:
    goal = Goal.objects.filter(pk=goal_id, circle_id=membership.circle_id).first()
    if goal is None:
        raise Http404
    return goal


def access_join_request(membership: Membership, request_id: int) -> JoinRequest:
    if not membership.is_facilitator:
        raise Http404
    join_request = JoinRequest.objects.filter(pk=request_id, circle_id=membership.circle_id).first()
    if join_request is None:
        raise Http404
    return join_request


def access_reply(membership: Membership, thread: Thread, reply_id: str) -> Reply:
    """A reply of this thread that the member may see; 404 for a malformed or foreign id."""
    try:
        pk = uuid.UUID(str(reply_id))
    except ValueError:
        raise Http404 from None
    reply = Reply.objects.filter(pk=pk, thread=thread).first()
    if reply is None or not can_see_post(membership, reply.status, reply.author_id):
        raise Http404
    return reply


def access_meeting(membership: Membership, meeting_id: uuid.UUID | str) -> Meeting:
    meeting = (
        Meeting.objects.select_related("organiser")
        .filter(pk=meeting_id, circle_id=membership.circle_id)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def access_member(membership: Membership, member_id: uuid.UUID | str) -> Membership:
    """Another active member of the same circle."""
    member = Membership.objects.filter(
        pk=member_id, circle_id=membership.circle_id, left_at__isnull=True
    ).first()
    if member is None:
        raise Http404
    member.circle = membership.circle
    return member


def access_round(membership: Membership, round_id: uuid.UUID | str) -> Round:
    round_ = (
        Round.objects.select_related("meeting")
        .filter(pk=round_id, meeting__circle_id=membership.circle_id)
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def round_membership(user: User, round_id: uuid.UUID | str) -> tuple[Membership, Round] | None:
    """For a socket: the person's active membership of the round's circle, or None."""
    round_ = Round.objects.select_related("meeting").filter(pk=round_id).first()
    if round_ is None or not user.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("circle", "user")
        .filter(circle_id=round_.meeting.circle_id, user=user, left_at__isnull=True)
        .first()
    )
    return None if membership is None else (membership, round_)
