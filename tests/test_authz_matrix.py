"""Every route must say which personas may use it; then each persona gets what it says.

A new URL pattern (or WebSocket route) without an entry here fails the suite, so nobody adds a
page without deciding who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from confide.accounts.models import User
from confide.pairs.models import CheckIn, Pair, PairInvitation
from confide.routing import websocket_urlpatterns
from tests.personas import PERSONAS, client_for

ANYONE = "anyone"
SIGNED_IN = "signed_in"
REDIRECT_TO_LOGIN = 302

# route name -> (kwargs for reverse, who, status for those allowed, status for the others[,
# status for anonymous visitors when it differs]). kwargs may be a function of the `world`
# fixture, for routes about objects (a pair of alex and blake, one of its check-ins, ...).
Kwargs = dict[str, Any] | Callable[["World"], dict[str, Any]]
Rule = (
    tuple[Kwargs, str | frozenset[str], int, int]
    | tuple[Kwargs, str | frozenset[str], int, int, int]
)
JUNK_TOKEN = {"token": "not-a-real-token"}
PARTNERS = frozenset({"alex", "blake"})
NOT_FOUND = 404


def _pair(world: World) -> dict[str, Any]:
    return {"pair_id": world.pair.pk}


def _checkin(world: World) -> dict[str, Any]:
    return {"pair_id": world.pair.pk, "checkin_id": world.checkin.pk}


def _dialogue(world: World) -> dict[str, Any]:
    from confide.dialogue.models import DialogueSession
    from confide.dialogue.services.sessions import dialogue_start

    session = DialogueSession.objects.filter(pair=world.pair).first() or dialogue_start(
        pair=world.pair, starter=world.personas["alex"]
    )
    return {"pair_id": world.pair.pk, "session_id": session.pk}


def _topic(world: World) -> dict[str, Any]:
    from confide.dialogue.services.topics import topic_create

    topic = topic_create(pair=world.pair, raised_by=world.personas["blake"], title="Evenings")
    return {"pair_id": world.pair.pk, "topic_id": topic.pk}


def _alex_export(world: World) -> dict[str, Any]:
    """A ready export of Alex's data, with its one-time link."""
    from confide.privacy.exports import export_build, export_token
    from confide.privacy.models import Export

    export = Export.objects.create(user=world.personas["alex"])
    built = export_build(export_id=str(export.pk))
    assert built is not None
    return {"export_id": built.pk, "token": export_token(built)}


def _together_plan(world: World) -> dict[str, Any]:
    """Time together: a plan of Alex and Blake's pair, for a day still to come."""
    from datetime import time, timedelta

    from django.utils import timezone

    from confide.together.services import plan_create

    plan = plan_create(
        pair=world.pair,
        planner=world.personas["alex"],
        what="A walk",
        notes="",
        day=timezone.localdate() + timedelta(days=2),
        start_time=time(19, 0),
        duration_minutes=60,
        device_free=True,
    )
    return {"pair_id": world.pair.pk, "plan_id": plan.pk}


def _together_timer(world: World) -> dict[str, Any]:
    from confide.together.services import timer_start

    timer = timer_start(pair=world.pair, person=world.personas["blake"])
    return {"pair_id": world.pair.pk, "timer_id": timer.pk}


CIRCLE_MEMBERS = frozenset({"dana", "alex", "blake"})
FACILITATORS = frozenset({"dana"})
NON_MEMBERS = frozenset({"casey", "eli", "operator"})


def _circle_world(world: World) -> dict[str, Any]:
    """Dana's circle, with Alex and Blake as members, a thread, a goal and a meeting."""
    from datetime import date, time

    from confide.circles.models import Circle, Round
    from confide.circles.services.goals import goal_create
    from confide.circles.services.meetings import meeting_create
    from confide.circles.services.posts import thread_create
    from confide.circles.tests.factories import join, make_circle, owner_of

    circle = Circle.objects.filter(name="Matrix circle").first()
    if circle is None:
        circle = make_circle(world.personas["dana"], name="Matrix circle")
        alex = join(circle, world.personas["alex"], "Harbour")
        join(circle, world.personas["blake"], "Willow")
        thread_create(membership=alex, title="Hello", body="Hi", content_note="")
        goal_create(
            membership=alex,
            title="Walks",
            due_on=date(2099, 1, 1),
            target=3,
            today=date(2026, 1, 1),
        )
        meeting_create(
            membership=owner_of(circle),
            title="Weekly",
            start_date=date(2099, 1, 1),
            start_time=time(19, 0),
            time_zone="UTC",
            duration_minutes=60,
            rrule="FREQ=WEEKLY",
            location="",
            agenda="",
        )
    meeting = circle.meetings.get()
    round_ = Round.objects.filter(meeting=meeting).first() or Round.objects.create(
        meeting=meeting, occurrence=meeting.first_start, opened_by=owner_of(circle)
    )
    return {
        "round_id": round_.pk,
        "circle_id": circle.pk,
        "thread_id": circle.threads.get().pk,
        "goal_id": circle.goals.get().pk,
        "meeting_id": meeting.pk,
        "member_id": circle.memberships.get(pseudonym="Willow").pk,
    }


def _circle_kwargs(*names: str, **extra: Any) -> Callable[[World], dict[str, Any]]:
    def kwargs(world: World) -> dict[str, Any]:
        found = _circle_world(world)
        return {**{name: found[name] for name in ("circle_id", *names)}, **extra}

    return kwargs


CIRCLE_PAGE = (_circle_kwargs(), CIRCLE_MEMBERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN)
FACILITATOR_PAGE = (_circle_kwargs(), FACILITATORS, 200, NOT_FOUND, REDIRECT_TO_LOGIN)
THREAD_POST = (_circle_kwargs("thread_id"), SIGNED_IN, 405, REDIRECT_TO_LOGIN)  # POST only
GOAL_POST = (_circle_kwargs("goal_id"), SIGNED_IN, 405, REDIRECT_TO_LOGIN)  # POST only
MEETING_POST = (_circle_kwargs("meeting_id"), SIGNED_IN, 405, REDIRECT_TO_LOGIN)  # POST only


def _reported_reply(world: World) -> dict[str, Any]:
    """Moderation: a reply by Blake (Willow) in the matrix circle's thread, to report."""
    from confide.circles.models import Membership, Reply, Thread
    from confide.circles.services.posts import reply_create

    found = _circle_world(world)
    reply = Reply.objects.filter(thread_id=found["thread_id"]).first() or reply_create(
        membership=Membership.objects.select_related("circle", "user").get(pk=found["member_id"]),
        thread=Thread.objects.get(pk=found["thread_id"]),
        body="Thank you",
        content_note="",
    )
    return {"circle_id": found["circle_id"], "thread_id": found["thread_id"], "reply_id": reply.pk}


def _care(world: World) -> dict[str, Any]:
    """Care: Eli, a verified counsellor, works with Alex and Blake's pair; Alex shares all."""
    from confide.care.models import CareRelationship, Scope
    from confide.care.tests.factories import make_care

    alex = world.personas["alex"]
    relationship = CareRelationship.objects.filter(pair=world.pair).first() or make_care(
        world.personas["eli"], world.pair, {alex: Scope.FULL}
    )
    return {"relationship_id": relationship.pk, "person_id": alex.pk}


def _care_kwargs(*names: str) -> Callable[[World], dict[str, Any]]:
    def kwargs(world: World) -> dict[str, Any]:
        found = _care(world)
        return {name: found[name] for name in names}

    return kwargs


def _eli_profile(world: World) -> dict[str, Any]:
    """Eli's counsellor profile (verified): the operator may withdraw the verification."""
    from confide.care.models import CounsellorProfile

    _care(world)
    return {"profile_id": CounsellorProfile.objects.get(user=world.personas["eli"]).pk}


COUNSELLOR_PAGE: Rule = (_care_kwargs(), "eli", 200, NOT_FOUND, REDIRECT_TO_LOGIN)
OPERATOR_PAGE: Rule = ({}, "operator", 200, NOT_FOUND, REDIRECT_TO_LOGIN)
CARE_RELATIONSHIP = _care_kwargs("relationship_id")


PAIR_PAGE = (_pair, PARTNERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN)
PAIR_POST = (_pair, SIGNED_IN, 405, REDIRECT_TO_LOGIN)  # POST only
CHECKIN_POST = (_checkin, SIGNED_IN, 405, REDIRECT_TO_LOGIN)  # POST only

MATRIX: dict[str, Rule] = {
    "core:home": ({}, ANYONE, 200, 200),
    "core:crisis": ({}, ANYONE, 200, 200),
    "core:healthz": ({}, ANYONE, 200, 200),
    "core:session_ping": ({}, SIGNED_IN, 204, REDIRECT_TO_LOGIN),  # the bench's authenticated floor
    "accounts:settings": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "accounts:signup": ({}, "anonymous", 200, 302),  # signed-in people go home
    "accounts:signup_sent": ({}, ANYONE, 200, 200),
    "accounts:verify": (JUNK_TOKEN, ANYONE, 400, 400),
    "accounts:login": ({}, "anonymous", 200, 302),
    "accounts:logout": ({}, ANYONE, 405, 405),  # POST only
    "accounts:password_change": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "accounts:password_reset": ({}, ANYONE, 200, 200),
    "accounts:password_reset_sent": ({}, ANYONE, 200, 200),
    "accounts:password_reset_confirm": (
        {"uidb64": "MQ", "token": "bad-token"},
        ANYONE,
        400,
        400,
    ),
    "accounts:email_change": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "accounts:email_confirm": (JUNK_TOKEN, ANYONE, 400, 400),
    # The code step of a login in progress; without one (or when signed in) it sends away.
    "accounts:login_code": ({}, ANYONE, 302, 302),
    # One's own two-step login and sessions: no id, so each person reaches only their own.
    "accounts:two_factor": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    # Nothing to ask for (not enrolled, or this session gave a code already): sends on.
    "accounts:two_factor_verify": ({}, ANYONE, 302, 302),
    "accounts:two_factor_disable": ({}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "accounts:recovery_codes": ({}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "accounts:notice_seen": ({}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "accounts:sessions": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "accounts:sessions_end_others": ({}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "accounts:session_end": ({"record_id": 1}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "notifications:list": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "notifications:settings": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    # One's own reminders: the page takes no id, so each person reaches only their own.
    "reminders:settings": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "notifications:open": ({"notification_id": 1}, ANYONE, 405, 405),  # POST only
    "notifications:mark_all_read": ({}, ANYONE, 405, 405),  # POST only
    "pairs:list": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "pairs:invite": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "pairs:invitation": (
        lambda w: {"invitation_id": w.invitation.pk},
        frozenset({"alex"}),
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    "pairs:invitation_withdraw": ({"invitation_id": 1}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "pairs:invitation_respond": ({"invitation_id": 1}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "pairs:join": (JUNK_TOKEN, ANYONE, 400, 400),
    "pairs:detail": PAIR_PAGE,
    "pairs:history": PAIR_PAGE,
    "pairs:checkin": PAIR_PAGE,
    "pairs:checkin_detail": (_checkin, PARTNERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    "pairs:reply": CHECKIN_POST,
    "pairs:understood": CHECKIN_POST,
    "pairs:prompts": PAIR_PAGE,
    "pairs:draw": PAIR_POST,
    "pairs:answer": (
        lambda w: {"pair_id": w.pair.pk, "round_id": 1},
        SIGNED_IN,
        405,
        REDIRECT_TO_LOGIN,
    ),
    "pairs:levels": PAIR_POST,
    "pairs:leave": PAIR_PAGE,
    "pairs:pause": PAIR_POST,
    "pairs:resume": PAIR_POST,
    "safety:support": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "safety:held_decide": ({}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    # The safety page and plan take no id: each signed-in person reaches only their own.
    "safety:index": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "safety:plan": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "safety:plan_print": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "measures:index": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    # One's own privacy page: no id, so each person reaches only their own access log.
    "privacy:page": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "privacy:export": ({}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    # Alex's export: only Alex downloads it; anyone else's request finds no such link.
    "privacy:download": (_alex_export, frozenset({"alex"}), 200, 410, REDIRECT_TO_LOGIN),
    "privacy:erase": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "privacy:erased": ({}, ANYONE, 200, 200),
    # The shipped measures are about a pair or a circle, none about a person alone: 404.
    "measures:take": ({"instrument_id": "weekly-closeness"}, SIGNED_IN, 404, REDIRECT_TO_LOGIN),
    "measures:take_pair": (
        lambda w: {"pair_id": w.pair.pk, "instrument_id": "weekly-closeness"},
        PARTNERS,
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    "measures:progress": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    # One's own chart; 404 while one has no scores on it.
    "measures:chart": ({"instrument_id": "weekly-closeness"}, SIGNED_IN, 404, REDIRECT_TO_LOGIN),
    "measures:pair": PAIR_PAGE,
    "measures:sharing": PAIR_POST,
    "measures:pair_chart": (
        lambda w: {"pair_id": w.pair.pk, "instrument_id": "weekly-closeness"},
        PARTNERS,
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    "measures:export": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "circles:list": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "circles:create": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "circles:calendar": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "circles:feed": (JUNK_TOKEN, ANYONE, 404, 404),
    "circles:detail": CIRCLE_PAGE,
    "circles:members": CIRCLE_PAGE,
    "circles:role": (_circle_kwargs("member_id"), SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "circles:profile": CIRCLE_PAGE,
    "circles:leave": CIRCLE_PAGE,
    "circles:settings": FACILITATOR_PAGE,
    "circles:guidelines": CIRCLE_PAGE,
    "circles:guidelines_edit": FACILITATOR_PAGE,
    "circles:invite": FACILITATOR_PAGE,
    "circles:invitation_withdraw": (
        _circle_kwargs(invitation_id=1),
        SIGNED_IN,
        405,
        REDIRECT_TO_LOGIN,
    ),
    "circles:join": (_circle_kwargs(token="not-a-real-token"), ANYONE, 400, 400),
    # Holders of the request link who are not members yet; members go to the circle.
    "circles:request": (_circle_kwargs(), NON_MEMBERS, 200, 302, REDIRECT_TO_LOGIN),
    "circles:queue": FACILITATOR_PAGE,
    "circles:request_decide": (_circle_kwargs(request_id=1), SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "circles:thread_new": CIRCLE_PAGE,
    "circles:thread": (
        _circle_kwargs("thread_id"),
        CIRCLE_MEMBERS,
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    "circles:reply": THREAD_POST,
    "circles:react": THREAD_POST,
    "circles:held_decide": THREAD_POST,
    "circles:goal_new": CIRCLE_PAGE,
    "circles:goal": (_circle_kwargs("goal_id"), CIRCLE_MEMBERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    "circles:contribute": GOAL_POST,
    "circles:goal_reached": GOAL_POST,
    "circles:meeting_new": FACILITATOR_PAGE,
    "circles:meeting": (
        _circle_kwargs("meeting_id"),
        CIRCLE_MEMBERS,
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    "circles:rsvp": MEETING_POST,
    "circles:attendance": MEETING_POST,
    "circles:rate": MEETING_POST,
    "circles:cancel": MEETING_POST,
    "circles:round_start": MEETING_POST,
    "circles:round": (
        _circle_kwargs("round_id"),
        CIRCLE_MEMBERS,
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    "circles:round_act": (_circle_kwargs("round_id"), SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    # Moderation of circles (confide.moderation).
    "moderation:report_thread": (
        _circle_kwargs("thread_id"),
        CIRCLE_MEMBERS,
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    "moderation:report_reply": (_reported_reply, CIRCLE_MEMBERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    "moderation:queue": FACILITATOR_PAGE,
    "moderation:decide": (
        _circle_kwargs(report_id="00000000-0000-4000-8000-000000000000"),
        SIGNED_IN,
        405,
        REDIRECT_TO_LOGIN,
    ),  # POST only
    "moderation:restore": (_circle_kwargs(hidden_id=1), SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "moderation:lift": (_circle_kwargs("member_id"), SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "moderation:block": (_circle_kwargs("member_id"), SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "moderation:unblock": (_circle_kwargs("member_id"), SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "moderation:presets": FACILITATOR_PAGE,
    "moderation:preset_edit": (_circle_kwargs(preset_id=1), SIGNED_IN, 405, REDIRECT_TO_LOGIN),
    "moderation:mine": CIRCLE_PAGE,
    "dialogue:index": PAIR_PAGE,
    "dialogue:start": PAIR_POST,
    "dialogue:session": (_dialogue, PARTNERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    "dialogue:move": (_dialogue, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "dialogue:reflect": (_dialogue, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "dialogue:transcript": (_dialogue, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "dialogue:topics": PAIR_PAGE,
    "dialogue:topic": (_topic, PARTNERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    # The rhythm of a pair (confide.rhythm), under /pairs/<pair_id>/rhythm/.
    "rhythm:appreciations": PAIR_PAGE,
    "rhythm:appreciation_thanks": (
        lambda w: {"pair_id": w.pair.pk, "appreciation_id": "00000000-0000-4000-8000-000000000000"},
        SIGNED_IN,
        405,
        REDIRECT_TO_LOGIN,
    ),  # POST only
    "rhythm:gestures": PAIR_PAGE,
    "rhythm:gesture_pick": PAIR_POST,
    "rhythm:gesture_done": PAIR_POST,
    "rhythm:gesture_idea": PAIR_POST,
    "rhythm:gesture_idea_delete": (
        lambda w: {"pair_id": w.pair.pk, "idea_id": "00000000-0000-4000-8000-000000000000"},
        SIGNED_IN,
        405,
        REDIRECT_TO_LOGIN,
    ),  # POST only
    "rhythm:bids": PAIR_PAGE,
    "rhythm:bid": PAIR_POST,
    "rhythm:contract": PAIR_PAGE,
    "rhythm:contract_consent": PAIR_POST,
    "rhythm:contract_intention": PAIR_POST,
    "rhythm:contract_acknowledge": PAIR_POST,
    "rhythm:lapse": PAIR_PAGE,
    "rhythm:lapse_delete": (
        lambda w: {"pair_id": w.pair.pk, "note_id": "00000000-0000-4000-8000-000000000000"},
        SIGNED_IN,
        405,
        REDIRECT_TO_LOGIN,
    ),  # POST only
    "rhythm:journey": PAIR_PAGE,
    # Time together (confide.together), under /pairs/<pair_id>/together/.
    "together:index": PAIR_PAGE,
    "together:plan_new": PAIR_PAGE,
    "together:plan": (_together_plan, PARTNERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    "together:plan_ics": (_together_plan, PARTNERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    "together:plan_done": (_together_plan, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "together:plan_cancel": (_together_plan, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "together:timer_start": PAIR_POST,
    "together:timer_stop": (_together_timer, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "together:month": (
        lambda w: {"pair_id": w.pair.pk, "year": 2026, "month": 3},
        PARTNERS,
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    # Care (confide.care): clients' pages, counsellors' pages, and the operator console.
    "care:index": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "care:apply": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "care:invite": ({}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "care:relationship": (CARE_RELATIONSHIP, PARTNERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    "care:consent": (CARE_RELATIONSHIP, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "care:end": (CARE_RELATIONSHIP, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "care:homework_done": ({"homework_id": 1}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "care:counsellor": COUNSELLOR_PAGE,
    "care:notes": COUNSELLOR_PAGE,
    "care:notes_export": COUNSELLOR_PAGE,
    "care:case": (CARE_RELATIONSHIP, "eli", 200, NOT_FOUND, REDIRECT_TO_LOGIN),
    "care:client": (
        _care_kwargs("relationship_id", "person_id"),
        "eli",
        200,
        NOT_FOUND,
        REDIRECT_TO_LOGIN,
    ),
    "care:homework_new": (CARE_RELATIONSHIP, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "care:note_new": (CARE_RELATIONSHIP, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "console:health": OPERATOR_PAGE,
    "console:applications": OPERATOR_PAGE,
    "console:decide": ({"profile_id": 1}, SIGNED_IN, 405, REDIRECT_TO_LOGIN),  # POST only
    "console:counsellors": OPERATOR_PAGE,
    "console:revoke": (_eli_profile, "operator", 200, NOT_FOUND, REDIRECT_TO_LOGIN),
}
# WebSocket route -> who may connect ("partners": the two people of the route's pair). Each
# persona, and an anonymous visitor, is tried against it below.
WEBSOCKET_MATRIX: dict[str, str] = {
    "ws/dialogue/<uuid:session_id>/": "partners",
    "ws/circles/rounds/<uuid:round_id>/": "circle_members",
}


def _route_names(patterns: list[Any], namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern}>")
    return names


def test_every_route_has_an_entry_in_the_matrix() -> None:
    names = _route_names(get_resolver().url_patterns)
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, f"Routes without an authorisation rule: {missing}"
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"Matrix rules for routes that no longer exist: {stale}"


def test_every_websocket_route_has_an_entry_in_the_matrix() -> None:
    routes = [str(route.pattern) for route in websocket_urlpatterns]
    assert sorted(routes) == sorted(WEBSOCKET_MATRIX)


def _allowed(who: str | frozenset[str], persona: str | None) -> bool:
    if isinstance(who, frozenset):
        return persona in who
    if who == ANYONE:
        return True
    if who == "anonymous":
        return persona is None
    if who == SIGNED_IN:
        return persona is not None
    return persona == who


@dataclass
class World:
    personas: dict[str, User]
    pair: Pair
    checkin: CheckIn
    invitation: PairInvitation


@pytest.fixture
def world(personas: dict[str, User], pair: Pair) -> World:
    from confide.pairs.services.checkins import checkin_submit
    from confide.pairs.services.pairing import invitation_create

    checkin = checkin_submit(
        pair=pair,
        author=personas["alex"],
        mood=3,
        feelings=[],
        needs=[],
        note="",
        visibility="shared",
    )
    invitation, _ = invitation_create(inviter=personas["alex"])
    return World(personas, pair, checkin, invitation)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, *PERSONAS])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_what_the_matrix_says(
    name: str, persona: str | None, world: World
) -> None:
    kwargs, who, allowed_status, other_status, *anonymous = MATRIX[name]
    if callable(kwargs):
        kwargs = kwargs(world)
    client = client_for(world.personas[persona] if persona else None)
    response = client.get(reverse(name, kwargs=kwargs))
    if _allowed(who, persona):
        expected = allowed_status
    elif persona is None and anonymous:
        expected = anonymous[0]
    else:
        expected = other_status
    assert response.status_code == expected, (name, persona)


@pytest.fixture
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Channels closes "old" database connections around each database call. Inside a test's
    transaction that is the test's own connection, which on PostgreSQL really closes."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_the_test_connection")
@pytest.mark.parametrize("persona", [None, *PERSONAS])
@pytest.mark.parametrize(
    "route", sorted(r for r, who in WEBSOCKET_MATRIX.items() if who == "partners")
)
def test_each_persona_gets_what_the_websocket_matrix_says(
    route: str, persona: str | None, world: World
) -> None:
    from asgiref.sync import async_to_sync
    from channels.db import database_sync_to_async

    from confide.dialogue.tests.support import communicator, cookie_for

    assert WEBSOCKET_MATRIX[route] == "partners"
    session_id = _dialogue(world)["session_id"]
    user = world.personas[persona] if persona else None

    async def connect() -> bool:
        cookie = await database_sync_to_async(cookie_for)(user) if user else None
        socket = communicator(session_id, cookie=cookie)
        connected, _ = await socket.connect()
        await socket.disconnect()
        return bool(connected)

    assert async_to_sync(connect)() is (persona in PARTNERS), persona


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_the_test_connection")
@pytest.mark.parametrize("persona", [None, *PERSONAS])
def test_each_persona_gets_what_the_websocket_matrix_says_about_circle_rounds(
    persona: str | None, world: World
) -> None:
    from asgiref.sync import async_to_sync
    from channels.db import database_sync_to_async

    from confide.circles.tests.test_consumer import socket_for
    from confide.dialogue.tests.support import cookie_for

    assert WEBSOCKET_MATRIX["ws/circles/rounds/<uuid:round_id>/"] == "circle_members"
    round_id = _circle_world(world)["round_id"]
    user = world.personas[persona] if persona else None

    async def connect() -> bool:
        cookie = await database_sync_to_async(cookie_for)(user) if user else None
        socket = socket_for(round_id, cookie)
        connected, _ = await socket.connect()
        await socket.disconnect()
        return bool(connected)

    assert async_to_sync(connect)() is (persona in CIRCLE_MEMBERS), persona


# Facilitator-only routes, and what a POST to each needs in its URL.
SECOND_FACTOR_ROUTES: dict[str, dict[str, Any]] = {
    **{name: {} for name, rule in MATRIX.items() if rule is FACILITATOR_PAGE},
    "circles:role": {"member_id": None},
    "circles:invitation_withdraw": {"invitation_id": 1},
    "circles:request_decide": {"request_id": 1},
    "circles:held_decide": {"thread_id": None},
    "circles:attendance": {"meeting_id": None},
    "circles:cancel": {"meeting_id": None},
    "circles:round_start": {"meeting_id": None},
    "moderation:decide": {"report_id": "00000000-0000-4000-8000-000000000000"},
    "moderation:restore": {"hidden_id": 1},
    "moderation:lift": {"member_id": None},
    "moderation:preset_edit": {"preset_id": 1},
}


@pytest.mark.django_db
@pytest.mark.parametrize("enrolled", [False, True])
@pytest.mark.parametrize("name", sorted(SECOND_FACTOR_ROUTES))
def test_a_facilitator_reaches_facilitator_routes_only_after_two_step_login(
    name: str, enrolled: bool, world: World
) -> None:
    """Not enrolled: sent to set it up. Enrolled, but this session gave no code: asked for one.
    A member who facilitates nothing still gets a 404 for the pages, as the matrix says."""
    from confide.accounts.tests.factories import enrol_second_factor

    found = _circle_world(world)
    kwargs = {"circle_id": found["circle_id"]}
    for key, value in SECOND_FACTOR_ROUTES[name].items():
        kwargs[key] = found[key] if value is None else value
    dana = world.personas["dana"]
    if enrolled:
        enrol_second_factor(dana)
    url = reverse(name, kwargs=kwargs)
    is_page = MATRIX[name] is FACILITATOR_PAGE
    client = client_for(dana, second_factor=False)
    response = client.get(url) if is_page else client.post(url)
    target = reverse("accounts:two_factor_verify" if enrolled else "accounts:two_factor")
    assert response.status_code == 302, name
    assert response["Location"].startswith(target), (name, response["Location"])
    if is_page:
        assert response["Location"] == f"{target}?next={quote(url, safe='')}"
        assert client_for(world.personas["alex"]).get(url).status_code == NOT_FOUND
