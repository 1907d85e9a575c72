"""Django's ASGI handler with the middleware chain built for sync code.

Django builds its chain for async under ASGI, adapting each sync-only middleware on the way;
Confide's chain mixes sync-only middleware (WhiteNoise, Confide's own) with async-capable ones,
so a request crossed between the event loop and the worker thread several times (into the
thread for the sync part, back to the loop for the inner handler, into the thread again for the
sync view), each a thread hop of tens of microseconds to milliseconds under load. Every view is
sync, so here the whole chain, view included, runs in one hop to the thread, as under WSGI.
`async_to_sync` from a view (channel-layer broadcasts) still runs on the server's event loop,
and the WebSocket consumers are untouched. See docs/performance.md for the measurements.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class SyncChainASGIHandler(ASGIHandler):
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Django wraps each request in its own ThreadSensitiveContext: a new thread per request,
        # started and joined, and so a new database connection per request whatever
        # CONN_MAX_AGE says. Without it, sync code runs in asgiref's one long-lived
        # thread, as the WebSocket consumers' database calls already do.
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
