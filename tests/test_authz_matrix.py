"""Every route must say which personas may use it; then each persona gets what it says.

A new URL pattern (or WebSocket route) without an entry here fails the suite, so nobody adds a
page without deciding who may see it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from confide.accounts.models import User
from confide.routing import websocket_urlpatterns
from tests.personas import PERSONAS, client_for

ANYONE = "anyone"
SIGNED_IN = "signed_in"
REDIRECT_TO_LOGIN = 302

# route name -> (kwargs for reverse, who, status for those allowed, status for the others)
Rule = tuple[dict[str, Any], str, int, int]
JUNK_TOKEN = {"token": "not-a-real-token"}
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


def _allowed(who: str, persona: str | None) -> bool:
    if who == ANYONE:
        return True
    if who == "anonymous":
        return persona is None
    if who == SIGNED_IN:
        return persona is not None
    return persona == who


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, *PERSONAS])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_what_the_matrix_says(
    name: str, persona: str | None, personas: dict[str, User]
) -> None:
    kwargs, who, allowed_status, other_status = MATRIX[name]
    client = client_for(personas[persona] if persona else None)
    response = client.get(reverse(name, kwargs=kwargs))
    expected = allowed_status if _allowed(who, persona) else other_status
    assert response.status_code == expected, (name, persona)
