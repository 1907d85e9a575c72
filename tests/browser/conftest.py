"""Drive Debian's Chromium with Playwright against pytest-django's live server.

Every test in this folder is marked `browser`. One Chromium runs for all of them; each test
gets fresh browser contexts (cookies, storage and cache start empty). Every context records
its requests and console errors (`network_log`) and aborts any request that is not for the
live server, so no test ever reaches the outside world.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, NetworkLog, is_foreign

ContextFactory = Callable[..., BrowserContext]

# Auto-waiting assertions get more room than the default 5 s on a busy 2-core CI box, where a
# live page may wait out a reconnect backoff; a passing test waits no longer for it.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here + os.sep):
            item.add_marker(pytest.mark.browser)


class SerialWSGIServer(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    With SQLite's in-memory test database every server thread shares the test's one connection,
    and a page's images fetched in parallel used it from several threads at once ("bad parameter
    or other API misuse"). Connections still get a thread each, so keep-alive works; only the
    application, and the reading of its answer, take turns.
    """

    turn = threading.Lock()

    def set_app(self, application: Any) -> None:
        turn = self.turn

        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            with turn:
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, django_db_setup: None) -> Iterator[LiveServer]:
    """pytest-django's live server, but on 127.0.0.1 unless --liveserver says otherwise.

    "localhost" (pytest-django's default) may resolve to ::1 first; the tests compare hosts,
    so the address must be exactly the one the browser uses. It depends on the test database,
    so that it stops before the database is dropped (PostgreSQL refuses to drop a database
    that a server thread still holds).
    """
    server = LiveServer(request.config.getvalue("liveserver") or "127.0.0.1", start=False)
    if server.thread.connections_override:
        server.thread.server_class = SerialWSGIServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    """Playwright for the browser tests only.

    The sync API keeps an asyncio event loop running in this thread while it is started, and
    Django refuses ORM calls while a loop runs (SynchronousOnlyOperation). The tests here use
    the ORM from plain synchronous code, so the guard is lifted for exactly as long as
    Playwright runs. Package scope stops Playwright after the last browser test, so the rest
    of the suite keeps Django's guard.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as driver:
            yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}. "
            "Install Debian's package `chromium` (apt-get install chromium).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Login and signup throttles count per client address, and every browser is 127.0.0.1.
    cache.clear()


@pytest.fixture
def network_log() -> NetworkLog:
    return NetworkLog()


@pytest.fixture
def new_context(
    browser: Browser, live_server: LiveServer, network_log: NetworkLog
) -> Iterator[ContextFactory]:
    """Make browser contexts on the live server; extra keyword arguments go to new_context."""
    contexts: list[BrowserContext] = []

    def abort(route: Route) -> None:
        route.abort("blockedbyclient")

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(15_000)
        network_log.attach(context)
        # Page-level routes (e.g. a stub for the quick exit's neutral site) take precedence.
        context.route(is_foreign(live_server.url), abort)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context: ContextFactory) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


class AsgiLiveServer:
    """Confide's ASGI application (HTTP and WebSockets) under uvicorn, in a thread.

    pytest-django's `live_server` is WSGI and cannot serve WebSockets. This one serves
    `confide.asgi.application` on 127.0.0.1 and a free port, against the test database
    (tests that use it are transactional; SQLite's in-memory test database is shared-cache, so
    the server thread's connections see the same data).

    Django runs each ASGI request's synchronous code in a thread of its own, so a persistent
    connection opened there is never reused, and on PostgreSQL it would stay open after the
    thread ends (keeping the test database busy). While this server runs, connections close at
    the end of each request (CONN_MAX_AGE=0), as Django advises for ASGI.
    """

    def __init__(self) -> None:
        import socket
        import threading

        import uvicorn

        from confide.asgi import application

        self._settings = connection.settings_dict
        self._conn_max_age = self._settings.get("CONN_MAX_AGE", 0)
        self._settings["CONN_MAX_AGE"] = 0

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        started = threading.Event()

        class Server(uvicorn.Server):
            async def startup(self, sockets: Any = None) -> None:
                await super().startup(sockets=sockets)
                started.set()

        config = uvicorn.Config(
            application,
            lifespan="off",
            log_level="warning",
            ws="websockets-sansio",
            server_header=False,
        )
        self.server = Server(config)
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        if not started.wait(timeout=15):
            raise RuntimeError("The ASGI live server did not start within 15 seconds.")

    def drop_websockets(self) -> int:
        """Cut every open WebSocket's TCP connection at once, as a network drop would."""
        from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

        dropped = [
            conn
            for conn in list(self.server.server_state.connections)
            if isinstance(conn, WebSocketsSansIOProtocol)
        ]
        for conn in dropped:
            conn.loop.call_soon_threadsafe(conn.transport.close)
        return len(dropped)

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()
        self._settings["CONN_MAX_AGE"] = self._conn_max_age


@pytest.fixture
def asgi_live_server(transactional_db: None) -> Iterator[AsgiLiveServer]:
    server = AsgiLiveServer()
    yield server
    server.stop()


@pytest.fixture
def new_asgi_context(
    browser: Browser, asgi_live_server: AsgiLiveServer, network_log: NetworkLog
) -> Iterator[ContextFactory]:
    """Like `new_context`, on the ASGI live server (for pages that use WebSockets)."""
    contexts: list[BrowserContext] = []

    def abort(route: Route) -> None:
        route.abort("blockedbyclient")

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=asgi_live_server.url, locale="en-GB", **options)
        context.set_default_timeout(15_000)
        network_log.attach(context)
        context.route(is_foreign(asgi_live_server.url), abort)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
