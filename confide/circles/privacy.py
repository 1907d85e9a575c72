"""What a person takes with them from circles (export) and what erasing their account does here.

Registered with the privacy registry in `CirclesConfig.ready()`.

Export: every circle profile, what they wrote (threads, replies, goals, contributions, meetings
they organised), their reactions, answers to meetings (RSVPs, attendance, ratings) and what
they received on their own threads: replies shown under the replier's circle pseudonym only
(never an account name), and reaction counts.

Erasure (inside the erasure's transaction), for each of the person's memberships:
- their replies are deleted (with reactions to them and reports about them);
- a thread of theirs that others replied to stays, so the others' replies keep their place,
  but its title and text are replaced by a "removed" placeholder and reactions to it go;
  their other threads are deleted;
- their reactions, contributions (the goal's count goes down by what they gave), RSVPs,
  attendance, meeting ratings, places in round queues, join requests and calendar feed are
  deleted;
- goals and meetings they created are the circle's shared plans: they stay, shown as from
  "a former member";
- the membership itself is deleted, unless something that stays still points at it (a kept
  thread, a goal or meeting, attendance they noted for others, a round they opened, a report
  they made): then it stays as an empty placeholder — no pseudonym, no profile, no role,
  marked as left — so the circle shows "a former member".
An owner's circle passes to its longest-standing facilitator (a circle without one is left
without an owner). What others wrote stays theirs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from confide.accounts.models import User
from confide.circles.models import (
    Attendance,
    CalendarFeed,
    Circle,
    CircleInvitation,
    Contribution,
    Goal,
    Guidelines,
    JoinRequest,
    Meeting,
    MeetingRating,
    Membership,
    PostStatus,
    Reaction,
    Reply,
    Role,
    Round,
    RoundEntry,
    Rsvp,
    Thread,
)
from confide.core.audit import audit_log
from confide.moderation.models import HiddenPost, Report
from confide.privacy.document import iso
from confide.privacy.registry import Alias

# Every model of circles that points at a person or holds their text. A circle itself (its
# name and purpose) belongs to its members and stays when its creator leaves or is erased.
PERSONAL_MODELS = (
    Circle,
    Membership,
    JoinRequest,
    CircleInvitation,
    Guidelines,
    Thread,
    Reply,
    Reaction,
    Goal,
    Contribution,
    Meeting,
    Rsvp,
    Attendance,
    MeetingRating,
    Round,
    RoundEntry,
    CalendarFeed,
)


def _name(member: Membership) -> str:
    """How a member appears to others: their circle pseudonym, never their account."""
    return member.pseudonym if member.left_at is None else _("a former member")


def _counts(reactions: list[Reaction]) -> dict[str, dict[str, int]]:
    """Reaction counts by post id ("thread:<id>" or "reply:<id>") and kind."""
    counts: dict[str, Counter[str]] = {}
    for reaction in reactions:
        key = f"reply:{reaction.reply_id}" if reaction.reply_id else f"thread:{reaction.thread_id}"
        counts.setdefault(key, Counter())[reaction.kind] += 1
    return {key: dict(counter) for key, counter in counts.items()}


def _profile(member: Membership) -> dict[str, Any]:
    accepted = Guidelines.objects.filter(
        circle_id=member.circle_id, version=member.accepted_version
    ).first()
    return {
        "membership_id": str(member.pk),
        "circle": {"id": str(member.circle_id), "name": member.circle.name},
        "pseudonym": member.pseudonym,
        "role": member.role,
        "about": member.about,
        "pronouns": member.pronouns,
        "background": member.background,
        "brings": member.brings,
        "joined_at": iso(member.joined_at),
        "left_at": iso(member.left_at),
        "guidelines_accepted": {
            "version": member.accepted_version,
            "published_at": iso(accepted.published_at) if accepted else None,
        }
        if member.accepted_version
        else None,
    }


def _threads(members: list[Membership]) -> list[dict[str, Any]]:
    threads = list(Thread.objects.filter(author__in=members).order_by("created_at"))
    counts = _counts(list(Reaction.objects.filter(thread__in=threads, reply__isnull=True)))
    # What others replied, as the author sees it: published, not hidden by a facilitator.
    hidden = set(
        HiddenPost.objects.filter(thread__in=threads, reply__isnull=False).values_list(
            "reply_id", flat=True
        )
    )
    replies: dict[Any, list[dict[str, Any]]] = {}
    received = (
        Reply.objects.filter(thread__in=threads, status=PostStatus.PUBLISHED)
        .select_related("author")
        .order_by("created_at")
    )
    for reply in received:
        if reply.pk in hidden and reply.author not in members:
            continue
        replies.setdefault(reply.thread_id, []).append(
            {
                "id": str(reply.pk),
                "from": _name(reply.author),
                "yours": reply.author in members,
                "content_note": reply.content_note,
                "body": reply.body,
                "created_at": iso(reply.created_at),
            }
        )
    return [
        {
            "id": str(thread.pk),
            "circle_id": str(thread.circle_id),
            "title": thread.title,
            "content_note": thread.content_note,
            "body": thread.body,
            "status": thread.status,
            "created_at": iso(thread.created_at),
            "reactions": counts.get(f"thread:{thread.pk}", {}),
            "replies": replies.get(thread.pk, []),
        }
        for thread in threads
    ]


def _replies(members: list[Membership]) -> list[dict[str, Any]]:
    replies = list(Reply.objects.filter(author__in=members).order_by("created_at"))
    counts = _counts(list(Reaction.objects.filter(reply__in=replies)))
    return [
        {
            "id": str(reply.pk),
            "thread_id": str(reply.thread_id),
            "content_note": reply.content_note,
            "body": reply.body,
            "status": reply.status,
            "created_at": iso(reply.created_at),
            "reactions": counts.get(f"reply:{reply.pk}", {}),
        }
        for reply in replies
    ]


def _goals(members: list[Membership]) -> dict[str, list[dict[str, Any]]]:
    goals = Goal.objects.filter(created_by__in=members).order_by("created_at")
    contributions = (
        Contribution.objects.filter(member__in=members)
        .select_related("goal")
        .order_by("created_at")
    )
    return {
        "goals": [
            {
                "id": str(goal.pk),
                "circle_id": str(goal.circle_id),
                "title": goal.title,
                "due_on": iso(goal.due_on),
                "target": goal.target,
                "progress": goal.progress,
                "reached_at": iso(goal.reached_at),
                "created_at": iso(goal.created_at),
            }
            for goal in goals
        ],
        "contributions": [
            {
                "goal_id": str(each.goal_id),
                "goal": each.goal.title,
                "amount": each.amount,
                "note": each.note,
                "created_at": iso(each.created_at),
            }
            for each in contributions
        ],
    }


def _meetings(members: list[Membership]) -> dict[str, list[dict[str, Any]]]:
    organised = Meeting.objects.filter(organiser__in=members).order_by("created_at")
    rsvps = Rsvp.objects.filter(member__in=members).select_related("meeting")
    attended = Attendance.objects.filter(member__in=members).select_related("meeting")
    ratings = MeetingRating.objects.filter(member__in=members).select_related("meeting")
    return {
        "meetings_organised": [
            {
                "id": str(m.pk),
                "circle_id": str(m.circle_id),
                "title": m.title,
                "location": m.location,
                "agenda": m.agenda,
                "start_date": iso(m.start_date),
                "start_time": m.start_time.isoformat(),
                "time_zone": m.time_zone,
                "duration_minutes": m.duration_minutes,
                "rrule": m.rrule,
                "cancelled_at": iso(m.cancelled_at),
            }
            for m in organised
        ],
        "rsvps": [
            {
                "meeting": r.meeting.title,
                "occurrence": iso(r.occurrence),
                "answer": r.answer,
                "updated_at": iso(r.updated_at),
            }
            for r in rsvps.order_by("occurrence")
        ],
        "attendance": [
            {"meeting": a.meeting.title, "occurrence": iso(a.occurrence)}
            for a in attended.order_by("occurrence")
        ],
        "meeting_ratings": [
            {
                "meeting": r.meeting.title,
                "occurrence": iso(r.occurrence),
                "heard": r.heard,
                "safe": r.safe,
                "together": r.together,
                "come_back": r.come_back,
            }
            for r in ratings.order_by("occurrence")
        ],
    }


def circles_export(user: User) -> dict[str, Any]:
    members = list(
        Membership.objects.filter(user=user).select_related("circle").order_by("joined_at")
    )
    reactions = Reaction.objects.filter(member__in=members).order_by("created_at")
    requests = JoinRequest.objects.filter(user=user).select_related("circle")
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "profiles": [_profile(member) for member in members],
        "join_requests": [
            {
                "circle": request.circle.name,
                "pseudonym": request.pseudonym,
                "status": request.status,
                "created_at": iso(request.created_at),
                "decided_at": iso(request.decided_at),
            }
            for request in requests.order_by("created_at")
        ],
        "threads": _threads(members),
        "replies": _replies(members),
        "reactions_given": [
            {
                "kind": reaction.kind,
                "thread_id": str(reaction.thread_id),
                "reply_id": str(reaction.reply_id) if reaction.reply_id else None,
                "created_at": iso(reaction.created_at),
            }
            for reaction in reactions
        ],
        **_goals(members),
        **_meetings(members),
        "calendar_feed": {"created_at": iso(feed.created_at)} if feed else None,
    }


# --- erasure --------------------------------------------------------------------------------


def _erase_posts(member: Membership) -> None:
    for reply in Reply.objects.filter(author=member, status=PostStatus.PUBLISHED):
        Thread.objects.filter(pk=reply.thread_id).update(
            reply_count=Greatest(F("reply_count") - 1, 0)
        )
    Reply.objects.filter(author=member).delete()
    for thread in Thread.objects.filter(author=member):
        if Reply.objects.filter(thread=thread).exists():  # only others' replies are left
            thread.title = _("Removed")
            thread.body = _("This post was removed when its author deleted their account.")
            thread.content_note = ""
            thread.save(update_fields=["title", "body", "content_note"])
            Reaction.objects.filter(thread=thread, reply__isnull=True).delete()
        else:
            thread.delete()
    Reaction.objects.filter(member=member).delete()


def _erase_contributions(member: Membership) -> None:
    for contribution in Contribution.objects.filter(member=member):
        Goal.objects.filter(pk=contribution.goal_id).update(
            progress=Greatest(F("progress") - contribution.amount, 0)
        )
    Contribution.objects.filter(member=member).delete()


def _still_needed(member: Membership) -> bool:
    """Whether something that stays (others' content, the circle's plans) points at it."""
    return (
        Thread.objects.filter(author=member).exists()
        or Goal.objects.filter(created_by=member).exists()
        or Meeting.objects.filter(organiser=member).exists()
        or Attendance.objects.filter(marked_by=member).exists()
        or Round.objects.filter(opened_by=member).exists()
        or Report.objects.filter(reporter=member).exists()
    )


def _hand_over_ownership(member: Membership) -> None:
    """An owner leaves their circle to its longest-standing facilitator, if it has one."""
    if member.role != Role.OWNER:
        return
    heir = (
        Membership.objects.filter(
            circle_id=member.circle_id, role=Role.FACILITATOR, left_at__isnull=True
        )
        .order_by("joined_at", "pk")
        .first()
    )
    if heir is not None:
        heir.role = Role.OWNER
        heir.save(update_fields=["role"])
        audit_log(action="circles.member.role_changed", target=heir, data={"role": Role.OWNER})


def _erase_membership(member: Membership) -> None:
    _hand_over_ownership(member)
    _erase_posts(member)
    _erase_contributions(member)
    for model in (Rsvp, Attendance, MeetingRating, RoundEntry):
        model.objects.filter(member=member).delete()
    Round.objects.filter(holder=member).update(holder=None)
    Guidelines.objects.filter(published_by=member).update(published_by=None)
    if not _still_needed(member):
        member.delete()
        return
    now = timezone.now()
    member.pseudonym = _("a former member")
    member.about = member.pronouns = member.background = member.brings = ""
    member.role = Role.MEMBER
    member.trusted = False
    member.accepted_version = 0
    member.joined_at = now
    member.left_at = member.left_at or now
    member.save()


def circles_erase(user: User) -> None:
    for member in Membership.objects.filter(user=user):
        _erase_membership(member)
    JoinRequest.objects.filter(user=user).delete()
    CircleInvitation.objects.filter(used_by=user).update(used_by=None)
    CalendarFeed.objects.filter(user=user).delete()


def circles_aliases(user: User) -> list[Alias]:
    """Each pseudonym, as the others who belong or belonged to that circle saw it."""
    own = dict(Membership.objects.filter(user=user).values_list("circle_id", "pseudonym"))
    others: dict[Any, set[int]] = {}
    for circle_id, other in (
        Membership.objects.filter(circle_id__in=own)
        .exclude(user=user)
        .values_list("circle_id", "user_id")
    ):
        others.setdefault(circle_id, set()).add(other)
    return [
        Alias(
            name=pseudonym,
            seen_by=frozenset(others.get(circle_id, ())),
            start=pgettext_lazy("an erased person, in a notification", "A former member"),
            # The same words as the placeholder membership's pseudonym (_erase_membership).
            inside=gettext_lazy("a former member"),
        )
        for circle_id, pseudonym in own.items()
        if pseudonym.strip()
    ]


def circles_privacy_register() -> None:
    from confide.privacy.registry import privacy_handler_register

    privacy_handler_register(
        app="circles",
        models=PERSONAL_MODELS,
        export=circles_export,
        erase=circles_erase,
        aliases=circles_aliases,
    )
