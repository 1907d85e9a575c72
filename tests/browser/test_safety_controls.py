"""The crisis link and the quick exit are on every page, and the exit leaves no trace behind."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect
from pytest_django import Settings

from tests.browser.support import expect_safety_controls, log_in, make_member

# Nothing listens on port 9 (discard); page.route answers instead, so no request leaves.
NEUTRAL_SITE = "http://127.0.0.1:9"
NEUTRAL_URL = f"{NEUTRAL_SITE}/neutral"
START_URL = f"{NEUTRAL_SITE}/start"

ANONYMOUS_PAGES = [
    "/",
    "/help/crisis/",
    "/account/login/",
    "/account/signup/",
    "/account/password/reset/",
]
MEMBER_PAGES = ["/", "/account/", "/help/crisis/"]


@pytest.fixture
def neutral_site(settings: Settings, page: Page) -> list[str]:
    """Point the quick exit at a stubbed neutral site; returns the URLs the stub served."""
    settings.CONFIDE_QUICK_EXIT_URL = NEUTRAL_URL
    served: list[str] = []

    def serve(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>",
        )

    page.route(f"{NEUTRAL_SITE}/**", serve)
    return served


def test_every_page_offers_crisis_resources_and_a_quick_exit(
    page: Page, neutral_site: list[str]
) -> None:
    for path in ANONYMOUS_PAGES:
        response = page.goto(path)
        assert response is not None and response.ok, path
        expect_safety_controls(page, NEUTRAL_URL)

    member = make_member()
    log_in(page, member.email)
    for path in MEMBER_PAGES:
        response = page.goto(path)
        assert response is not None and response.ok, path
        expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
        expect_safety_controls(page, NEUTRAL_URL)


def click_quick_exit(page: Page) -> None:
    page.locator("#quick-exit").click()


def press_escape_three_times(page: Page) -> None:
    for _ in range(3):
        page.keyboard.press("Escape")


def escape_while_typing(page: Page) -> None:
    # Someone walks in while the person is typing: Escape works from inside a form field too.
    field = page.locator("main form [name=email]")
    field.fill("half-typed@exam")
    for _ in range(3):
        field.press("Escape")


@pytest.mark.parametrize(
    ("path", "leave"),
    [
        ("/help/crisis/", click_quick_exit),
        ("/help/crisis/", press_escape_three_times),
        ("/account/login/", escape_while_typing),
    ],
    ids=["click", "escape-x3", "escape-x3-in-a-form"],
)
def test_quick_exit_replaces_the_page_in_the_history(
    page: Page, neutral_site: list[str], path: str, leave: Callable[[Page], None]
) -> None:
    # The person arrived from elsewhere: going back after the exit must lead there, not to us.
    page.goto(START_URL)
    page.goto(path)
    confide_url = page.url
    entries_before = page.evaluate("history.length")

    leave(page)

    expect(page).to_have_url(NEUTRAL_URL)
    assert neutral_site[-1] == NEUTRAL_URL
    # location.replace() swaps the current entry; a normal navigation would add one.
    assert page.evaluate("history.length") == entries_before

    page.go_back()
    expect(page).to_have_url(START_URL)
    assert page.url != confide_url


def test_quick_exit_works_as_a_plain_link_without_javascript(
    settings: Settings, new_context: Callable[..., BrowserContext]
) -> None:
    settings.CONFIDE_QUICK_EXIT_URL = NEUTRAL_URL
    page = new_context(java_script_enabled=False).new_page()
    page.route(
        f"{NEUTRAL_SITE}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>Weather</h1>"),
    )
    page.goto("/help/crisis/")
    entries_before = page.evaluate("history.length")

    page.locator("#quick-exit").click()

    expect(page).to_have_url(NEUTRAL_URL)
    # Without JavaScript nothing can rewrite the history: the link adds an entry. This also
    # proves that this context really runs no page scripts.
    assert page.evaluate("history.length") == entries_before + 1
