"""A socket's Origin passes only as a form post's would pass Django's CSRF origin check."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django import Settings

from confide.core.origins import origin_allowed


def scope(
    origin: str | None, host: str = "127.0.0.1", *, scheme: str = "ws", **headers: str
) -> dict[str, Any]:
    pairs = [(b"host", host.encode())]
    if origin is not None:
        pairs.append((b"origin", origin.encode()))
    pairs += [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    return {"type": "websocket", "scheme": scheme, "headers": pairs, "server": ("10.0.0.1", 8000)}


@pytest.mark.parametrize(
    ("origin", "host", "socket_scheme", "allowed"),
    [
        ("http://127.0.0.1", "127.0.0.1", "ws", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws", True),
        ("https://localhost", "localhost", "wss", True),
        ("http://127.0.0.1:9999", "127.0.0.1", "ws", False),  # another port
        ("http://127.0.0.1", "127.0.0.1:8000", "ws", False),
        ("https://localhost", "localhost", "ws", False),  # another scheme
        ("http://localhost", "localhost", "wss", False),
        ("http://localhost", "127.0.0.1", "ws", False),  # another host
        ("http://LOCALHOST", "localhost", "ws", False),  # exact, as CSRF compares
        ("http://127.0.0.1/", "127.0.0.1", "ws", False),
        ("http://evil.example", "evil.example", "ws", False),  # not in ALLOWED_HOSTS
        ("null", "127.0.0.1", "ws", False),
        ("", "127.0.0.1", "ws", False),
        (None, "127.0.0.1", "ws", False),
    ],
)
def test_scheme_host_and_port_must_all_be_the_sites_own(
    origin: str | None, host: str, socket_scheme: str, allowed: bool
) -> None:
    assert origin_allowed(scope(origin, host, scheme=socket_scheme)) is allowed


def test_two_origin_headers_are_refused() -> None:
    two = scope("http://127.0.0.1")
    two["headers"].append((b"origin", b"http://127.0.0.1"))
    assert not origin_allowed(two)


def test_behind_a_proxy_the_forwarded_scheme_counts_as_for_csrf(settings: Settings) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = {"x_forwarded_proto": "https"}
    assert origin_allowed(scope("https://localhost", "localhost", **proxied))
    assert not origin_allowed(scope("http://localhost", "localhost", **proxied))
    assert origin_allowed(scope("http://localhost", "localhost"))


def test_trusted_origins_are_the_csrf_ones_exactly(settings: Settings) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://confide.example", "https://*.circles.example"]
    assert origin_allowed(scope("https://confide.example"))
    assert origin_allowed(scope("https://tuesday.circles.example"))
    assert origin_allowed(scope("https://circles.example"))
    assert not origin_allowed(scope("http://confide.example"))
    assert not origin_allowed(scope("https://confide.example:8443"))
    assert not origin_allowed(scope("http://tuesday.circles.example"))
    assert not origin_allowed(scope("https://evilcircles.example"))
