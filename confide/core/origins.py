"""WebSocket origins, checked by the rule Django's CSRF check uses for form posts.

A browser lets any page open a socket to any server, sending the session cookie along, so the
`Origin` header is the only thing that tells Confide's own pages from another site's. Channels'
`AllowedHostsOriginValidator` compares the host name alone, so `http://127.0.0.1:9999` (another
program on the same machine) or `https://localhost` passed. Here an origin passes when it is
exactly `<scheme>://<host>` of the request itself (the scheme of the socket, `https` for `wss`
or behind a proxy that says so through SECURE_PROXY_SSL_HEADER; the Host header, which must be
in ALLOWED_HOSTS), or when it is listed in CSRF_TRUSTED_ORIGINS (a `*.` pattern there allows
subdomains of that scheme), as in `CsrfViewMiddleware._origin_verified`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.utils.http import is_same_domain


class _SocketRequest(HttpRequest):
    """Just enough of a request, from a WebSocket scope, for Django's own `get_host()` and
    `is_secure()`: ALLOWED_HOSTS, USE_X_FORWARDED_HOST and SECURE_PROXY_SSL_HEADER apply as
    they do to every page."""

    def __init__(self, scope: dict[str, Any]) -> None:
        super().__init__()
        for name, value in scope.get("headers", []):
            key = "HTTP_" + name.decode("latin1").upper().replace("-", "_")
            text = value.decode("latin1")
            # Several headers of one name are joined, as Django does for HTTP requests.
            self.META[key] = f"{self.META[key]},{text}" if key in self.META else text
        server = scope.get("server")
        if server and server[1] is not None:
            self.META["SERVER_NAME"], self.META["SERVER_PORT"] = server[0], str(server[1])
        self._socket_scheme = "https" if scope.get("scheme") in {"wss", "https"} else "http"

    def _get_scheme(self) -> str:
        return self._socket_scheme


def _trusted(origin: str, trusted: Iterable[str]) -> bool:
    patterns = list(trusted)
    if origin in {pattern for pattern in patterns if "*" not in pattern}:
        return True
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    return any(
        is_same_domain(parsed.netloc, pattern_parts.netloc.lstrip("*"))
        for pattern_parts in (urlsplit(pattern) for pattern in patterns if "*" in pattern)
        if pattern_parts.scheme == parsed.scheme
    )


def origin_allowed(scope: dict[str, Any]) -> bool:
    """True if the socket's Origin is this site's own: scheme, host and port all equal."""
    request = _SocketRequest(scope)
    origin = request.META.get("HTTP_ORIGIN")
    # No Origin (not a browser) or "null" (a sandboxed or file page) is never this site.
    if not origin or "," in origin:
        return False
    try:
        own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    except DisallowedHost:
        own = None
    if origin == own:
        return True
    return _trusted(origin, settings.CSRF_TRUSTED_ORIGINS)


class SameOriginValidator:
    """ASGI middleware: a WebSocket from any other origin is closed before it reaches a consumer,
    so it never learns anything, not even whether the route exists."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            raise ValueError("SameOriginValidator only guards WebSocket connections.")
        if not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
