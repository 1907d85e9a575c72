"""Taking the weekly closeness check and the closeness picture with the keyboard alone.

No mouse: the skip link leads into the page, Tab moves between questions, Space and the arrow
keys choose within each radio group, and Enter sends the form. axe checks every page.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from confide.accounts.notices import MEASURE, notice_acknowledge
from confide.measures.models import MeasureResponse
from confide.pairs.services.pairing import pair_create
from tests.browser.support import NetworkLog, axe_check, log_in, make_member

ContextFactory = Callable[..., BrowserContext]
ALEX = "alex@example.org"


def _alex_in_a_pair(new_context: ContextFactory) -> Page:
    alex = make_member(ALEX, "Alex")
    pair_create(first=alex, second=make_member("blake@example.org", "Blake"))
    # Alex read the who-sees-what notice on an earlier visit, so Tab goes straight to the
    # questions (test_everyday_look.py shows the notice itself).
    notice_acknowledge(user=alex, key=MEASURE)
    page = new_context().new_page()
    log_in(page, ALEX)
    return page


def _into_main(page: Page) -> None:
    """From the top of the page to the first control in <main>, as a keyboard user would."""
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")


def _choose(page: Page, value: int) -> None:
    """In the focused radio group: select the first answer, then move to `value`."""
    page.keyboard.press("Space")
    for _ in range(value - 1):
        page.keyboard.press("ArrowDown")


def _open_due_measure(page: Page, name: str) -> None:
    page.goto("/")
    section = page.get_by_role("region", name="A short reflection, if you like")
    expect(section).to_be_visible()
    axe_check(page)
    section.get_by_role("link", name=name).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_take_the_weekly_closeness_check_by_keyboard_alone(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    page = _alex_in_a_pair(new_context)
    _open_due_measure(page, "Weekly closeness check")
    axe_check(page)
    _into_main(page)
    wanted = [4, 5, 2, 4, 3, 5]
    for number, value in enumerate(wanted, start=1):
        group = page.get_by_role("group", name=f"{number}.", exact=False).first
        expect(group.locator("input:focus")).to_have_count(1)
        _choose(page, value)
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save my answers")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    expect(page.get_by_role("status")).to_contain_text("only you can see them")
    expect(page.get_by_role("img", name="Chart of Weekly closeness check")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("4.17")
    axe_check(page)
    response = MeasureResponse.objects.get(instrument_id="weekly-closeness")
    assert response.answers == {
        "understood": 4,
        "heard": 5,
        "held-back": 2,
        "turned-toward": 4,
        "time-together": 3,
        "appreciated": 5,
    }
    assert network_log.foreign(live_server.url) == []
    assert network_log.console_errors == []


def test_choose_a_closeness_picture_by_keyboard_alone(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    page = _alex_in_a_pair(new_context)
    _open_due_measure(page, "Closeness picture")
    axe_check(page)
    _into_main(page)
    first = page.get_by_role("radio", name="1. Two circles apart, not touching")
    expect(first).to_be_focused()
    _choose(page, 5)
    chosen = page.get_by_role("radio", name="5. Two circles overlapping by about half")
    expect(chosen).to_be_focused()
    expect(chosen).to_be_checked()
    # The focused picture shows a visible focus ring around its whole label.
    outline = (
        page.locator(".closeness-option")
        .nth(4)
        .evaluate("label => getComputedStyle(label).outlineStyle")
    )
    assert outline == "solid"
    axe_check(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save my answers")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    assert MeasureResponse.objects.get(instrument_id="closeness-picture").total == 5.0
    axe_check(page)
    assert network_log.foreign(live_server.url) == []
    assert network_log.console_errors == []
