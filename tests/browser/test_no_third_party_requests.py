"""Confide's pages load everything from Confide itself: no fonts, CDNs or analytics elsewhere."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.support import NetworkLog, log_in, make_member

ANONYMOUS_PAGES = ["/", "/account/login/", "/account/signup/", "/help/crisis/"]
MEMBER_PAGES = ["/", "/account/"]


def visit(page: Page, path: str) -> None:
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.ok, path
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_main_pages_request_nothing_from_other_hosts(
    page: Page, live_server: LiveServer, network_log: NetworkLog
) -> None:
    for path in ANONYMOUS_PAGES:
        visit(page, path)
    log_in(page, make_member().email)
    for path in MEMBER_PAGES:
        visit(page, path)

    # The recorder saw the pages and their assets, so an empty "foreign" list means something.
    paths = {url.removeprefix(live_server.url) for url in network_log.urls}
    assert {*ANONYMOUS_PAGES, "/account/", "/static/core/confide.css"} <= paths
    assert "/static/core/quick-exit.js" in paths
    assert network_log.foreign(live_server.url) == []
    # A CSP violation (a blocked inline script or style) is logged to the console as an error.
    assert network_log.console_errors == []
