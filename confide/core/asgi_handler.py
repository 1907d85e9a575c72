"""Django's ASGI handler with the middleware chain built for sync code.

Django builds its chain for async under ASGI, adapting each sync-only middleware on the way;
Confide's chain mixes sync-only middleware (WhiteNoise, Confide's own) with async-capable ones,
so a request crossed between the event loop and the worker thread several times (into the
thread for the sync part, back to the loop for the inner handler, into the thread again for the
sync view), each a thread hop of tens of microseconds to milliseconds under load. Every view is
sync, so here the whole chain, view included, runs in one hop to the thread, as under WSGI.
`async_to_sync` from a view (channel-layer broadcasts) still runs on the server's event loop,
and the WebSocket consumers are untouched. See docs/performance.md for the measurements.

It also closes every response it made, whatever way the request ends. When the client goes away
while a page or file is being made (a browser dropping a favicon request as it navigates), the
awaiting task is cancelled and the response the thread then returns is dropped unclosed: a
static file's handle stayed open until garbage collection.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class _Made:
    """The responses one request's thread made; those made after the request ended are closed
    at once by the thread that made them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ended = False
        self.responses: list[HttpResponseBase] = []

    def add(self, response: HttpResponseBase) -> None:
        with self.lock:
            if not self.ended:
                self.responses.append(response)
                return
        response.close()

    def end(self) -> list[HttpResponseBase]:
        with self.lock:
            self.ended = True
            return [response for response in self.responses if not response.closed]


_made: ContextVar[_Made | None] = ContextVar("confide_responses_made", default=None)


class SyncChainASGIHandler(ASGIHandler):
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Django wraps each request in its own ThreadSensitiveContext: a new thread per request,
        # started and joined, and so a new database connection per request whatever
        # CONN_MAX_AGE says. Without it, sync code runs in asgiref's one long-lived
        # thread, as the WebSocket consumers' database calls already do.
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        made = _Made()
        token = _made.set(made)
        try:
            await self.handle(scope, receive, send)
        finally:
            _made.reset(token)
            for response in made.end():
                await sync_to_async(response.close, thread_sensitive=True)()

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        made = _made.get()

        def get_response() -> HttpResponseBase:
            response = self.get_response(request)
            if made is not None:
                made.add(response)
            return response

        return await sync_to_async(get_response, thread_sensitive=True)()
