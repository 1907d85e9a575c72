"""Circles: small peer-support groups with guidelines, threads, goals and meetings.

Every piece of free text people write here is sealed with the circle's space key. Members are
known to each other only by their per-circle pseudonym and what they chose to write about
themselves. The tables are split by sub-domain; import them from here.
"""

from __future__ import annotations

from confide.circles.models.community import (
    MAX_ABOUT,
    MAX_AGENDA,
    MAX_CONTENT_NOTE,
    MAX_GOAL_NOTE,
    MAX_GUIDELINES,
    MAX_LOCATION,
    MAX_NAME,
    MAX_POST,
    MAX_PSEUDONYM,
    MAX_PURPOSE,
    MAX_RRULE,
    MAX_TAG,
    MAX_TITLE,
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
from confide.circles.models.meetings import (
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingRating,
    Round,
    RoundEntry,
    Rsvp,
)

__all__ = [
    "MAX_ABOUT",
    "MAX_AGENDA",
    "MAX_CONTENT_NOTE",
    "MAX_GOAL_NOTE",
    "MAX_GUIDELINES",
    "MAX_LOCATION",
    "MAX_NAME",
    "MAX_POST",
    "MAX_PSEUDONYM",
    "MAX_PURPOSE",
    "MAX_RRULE",
    "MAX_TAG",
    "MAX_TITLE",
    "Attendance",
    "CalendarFeed",
    "Circle",
    "CircleInvitation",
    "Contribution",
    "Goal",
    "Guidelines",
    "JoinRequest",
    "Meeting",
    "MeetingRating",
    "Membership",
    "PostStatus",
    "Reaction",
    "ReactionKind",
    "Reply",
    "Role",
    "Round",
    "RoundEntry",
    "Rsvp",
    "Thread",
]
