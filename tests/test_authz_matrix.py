"""Every route must say which personas may use it; then each persona gets what it says.

A new URL pattern (or WebSocket route) without an entry here fails the suite, so nobody adds a
page without deciding who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


PAIR_PAGE = (_pair, PARTNERS, 200, NOT_FOUND, REDIRECT_TO_LOGIN)
PAIR_POST = (_pair, SIGNED_IN, 405, REDIRECT_TO_LOGIN)  # POST only
CHECKIN_POST = (_checkin, SIGNED_IN, 405, REDIRECT_TO_LOGIN)  # POST only

MATRIX: dict[str, Rule] = {
    "core:home": ({}, ANYONE, 200, 200),
    "core:crisis": ({}, ANYONE, 200, 200),
    "core:healthz": ({}, ANYONE, 200, 200),
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
    "notifications:list": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
    "notifications:settings": ({}, SIGNED_IN, 200, REDIRECT_TO_LOGIN),
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
}
WEBSOCKET_MATRIX: dict[str, str] = {}


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
