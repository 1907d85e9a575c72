"""A demo circle: Dana facilitates; Alex, Blake, Eli and a few demo-only people are members.
Threads with replies and reactions, a shared goal in progress and a weekly meeting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from django.utils import timezone

from confide.accounts.models import User
from confide.circles import content
from confide.circles.models import Circle, Membership, ReactionKind
from confide.circles.services.common import today_for
from confide.circles.services.goals import contribution_add, goal_create
from confide.circles.services.meetings import meeting_create
from confide.circles.services.membership import circle_create, invitation_accept, invitation_create
from confide.circles.services.membership import profile_update as _profile
from confide.circles.services.posts import reaction_set, reply_create, thread_create

CIRCLE_NAME = "Thursday evening circle"
# Demo-only people: (email, display name, pseudonym, pronouns, background, what they bring)
EXTRA_PEOPLE = [
    ("river@example.com", "River", "Kestrel", "she/her", "nurse, night shifts", "steady humour"),
    ("sam@example.com", "Sam", "Driftwood", "he/him", "two years sober", "long walks"),
    ("noor@example.com", "Noor", "Marigold", "they/them", "artist, new to the city", "drawings"),
]
THREADS = [
    (
        "Harbour",
        "The first week back at work",
        "",
        "Going back after three months felt like walking into cold water. I made it to Friday.",
        [
            ("Kestrel", "I hear you. Fridays like that count double."),
            ("Willow", "Me too, last year. It does get gentler."),
        ],
    ),
    (
        "Driftwood",
        "An anniversary coming up",
        "anniversary of a death",
        "Next week it is five years since my brother died. I don't know yet how to spend the day.",
        [("Lantern", "Thank you for telling us. Would you like to bring it to Thursday's round?")],
    ),
    (
        "Marigold",
        "Small wins thread",
        "",
        "Share one small thing that went well this week. Mine: I cooked a real dinner.",
        [("Harbour", "I called my sister back."), ("Sage", "I slept eight hours!")],
    ),
]


def demo_circle(
    *, dana: User, members: list[User], password: str, progress: Callable[[str], None]
) -> Circle:
    """Idempotent: a second run finds the circle and adds nothing."""
    existing = Circle.objects.filter(
        name=CIRCLE_NAME, memberships__user=dana, memberships__role="owner"
    ).first()
    if existing is not None:
        progress("the demo circle is already there")
        return existing
    circle = circle_create(
        owner=dana,
        name=CIRCLE_NAME,
        purpose="A small peer circle for people in recovery and their partners. We meet weekly.",
        pseudonym="Lantern",
        guidelines=str(content.STARTER_GUIDELINES),
    )
    owner = Membership.objects.select_related("circle", "user").get(circle=circle, user=dana)
    people = list(zip(members, ["Harbour", "Willow", "Sage"], strict=True))
    for email, name, pseudonym, *_tags in EXTRA_PEOPLE:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email,
            password=password,
            display_name=name,
            email_verified_at=timezone.now(),
        )
        people.append((user, pseudonym))
    tags = {p: t for _e, _n, p, *t in EXTRA_PEOPLE}
    by_name: dict[str, Membership] = {"Lantern": owner}
    for user, pseudonym in people:
        invitation, _raw = invitation_create(membership=owner)
        member = invitation_accept(
            invitation=invitation, user=user, pseudonym=pseudonym, accept_guidelines=True
        )
        if pseudonym in tags:
            pronouns, background, brings = tags[pseudonym]
            member = _profile(
                membership=member,
                pseudonym=pseudonym,
                about="",
                pronouns=pronouns,
                background=background,
                brings=brings,
            )
        by_name[pseudonym] = Membership.objects.select_related("circle", "user").get(pk=member.pk)
    for author, title, note, body, replies in THREADS:
        thread = thread_create(
            membership=by_name[author], title=title, body=body, content_note=note
        )
        for who, text in replies:
            reply_create(membership=by_name[who], thread=thread, body=text, content_note="")
        for who, kind in zip(
            ["Willow", "Kestrel", "Sage", "Lantern"], ReactionKind.values, strict=False
        ):
            if who != author:
                reaction_set(membership=by_name[who], thread=thread, reply=None, kind=kind, on=True)
    today = today_for(dana)
    goal = goal_create(
        membership=owner,
        title="Thirty kind messages to someone outside the circle",
        due_on=today + timedelta(days=30),
        target=30,
        today=today,
    )
    for who, amount, note in [
        ("Harbour", 3, "Wrote to my old teacher."),
        ("Kestrel", 5, ""),
        ("Willow", 4, "Notes in lunchboxes count, right?"),
    ]:
        contribution_add(membership=by_name[who], goal=goal, amount=amount, note=note)
    days_to_thursday = (3 - today.weekday()) % 7 or 7
    meeting_create(
        membership=owner,
        title="Weekly circle",
        start_date=today + timedelta(days=days_to_thursday),
        start_time=time(19, 0),
        time_zone=dana.time_zone,
        duration_minutes=90,
        rrule="FREQ=WEEKLY;BYDAY=TH",
        location="The community room, or the call link the facilitator shares",
        agenda=str(content.AGENDA_TEMPLATE),
    )
    progress("created the demo circle")
    return circle
