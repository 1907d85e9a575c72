"""The safety lane opened on request, in real browsers: from the crisis link to a saved,
printable safety plan that the partner, in a browser of their own, never sees."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from confide.pairs.tests.factories import make_pair
from tests.browser.support import CRISIS_LINK, NetworkLog, axe_check
from tests.browser.test_pair_journey import logged_in_page, person

ContextFactory = Callable[..., BrowserContext]

ALEX = "alex@example.org"
BLAKE = "blake@example.org"
PLAN = {
    "1. Signs that a hard time is coming": "I stop answering messages and sleep until noon.",
    "2. Things I can do on my own that help": "A cold shower, then the long walk by the canal.",
    "3. People and places that take my mind off it": "The library on Wren Street.",
    "4. People I can ask for help": "My sister Morgan; Dr Okafor at the practice.",
    "5. Making my surroundings safer": "Morgan keeps the spare pills at her flat.",
}


def _heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _write_the_plan(page: Page) -> None:
    page.get_by_role("link", name="Write your safety plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your safety plan")
    axe_check(page)
    for label, text in PLAN.items():
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_text("Your safety plan is saved. Only you can see it.")).to_be_visible()
    for label, text in PLAN.items():
        expect(page.get_by_label(label)).to_have_value(text)
    axe_check(page)


def _print_it(page: Page) -> None:
    page.get_by_role("link", name="A copy to print").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")
    main = page.get_by_role("main")
    for text in PLAN.values():
        expect(main).to_contain_text(text)
    axe_check(page)
    # On paper: the plan only, without the site's bars, links and notes for the screen.
    page.emulate_media(media="print")
    expect(page.locator(".safety-bar")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Back to your safety plan")).to_be_hidden()
    expect(main.get_by_text(PLAN["5. Making my surroundings safer"])).to_be_visible()
    page.emulate_media(media="screen")


def test_a_person_opens_their_safety_page_writes_and_prints_a_plan_the_partner_never_sees(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    person(ALEX, "Alex")
    person(BLAKE, "Blake")
    users = get_user_model().objects
    alex_user = users.get(email=ALEX)
    pair = make_pair(alex_user, users.get(email=BLAKE))

    alex = logged_in_page(new_context(), ALEX)
    alex.get_by_role("link", name=CRISIS_LINK, exact=True).click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Help, right now")
    axe_check(alex)
    alex.get_by_role("link", name="Your private safety page and plan").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Your safety page")
    expect(alex.get_by_role("button", name="Pause joint activities with Blake")).to_be_visible()
    axe_check(alex)

    _write_the_plan(alex)
    _print_it(alex)

    # Back on the safety page, pause what the pair does together, from there.
    alex.goto("/help/safety/")
    expect(alex.get_by_role("link", name="Read or change your plan")).to_be_visible()
    alex.get_by_role("button", name="Pause joint activities with Blake").click()
    expect(alex.get_by_text("Joint activities are paused.").first).to_be_visible()

    # Blake, in a browser of his own, even with Alex's id in the address, finds an empty plan
    # of his own, and on the pair page only that joint activities are paused.
    blake = logged_in_page(new_context(), BLAKE)
    response = blake.goto(f"/help/safety/plan/?owner={alex_user.pk}")
    assert response is not None
    assert response.status == 200
    expect(blake.get_by_role("heading", level=1)).to_have_text("Your safety plan")
    for label, text in PLAN.items():
        expect(blake.get_by_label(label)).to_have_value("")
        expect(blake.locator("body")).not_to_contain_text(text)
    axe_check(blake)
    blake.goto("/help/safety/plan/print/")
    for text in PLAN.values():
        expect(blake.locator("body")).not_to_contain_text(text)
    blake.goto(f"/pairs/{pair.pk}/")
    expect(blake.get_by_text("Joint activities (prompts and dialogues) are paused")).to_be_visible()
    expect(blake.get_by_role("button", name="Resume joint activities")).to_have_count(0)
    for text in PLAN.values():
        expect(blake.locator("body")).not_to_contain_text(text)
    # The quiet link on the pair page leads Blake to his own safety page, not Alex's.
    blake.get_by_role("link", name="Your private safety page").click()
    assert _heading(blake) == "Your safety page"
    expect(blake.get_by_role("link", name="Write your safety plan")).to_be_visible()
    expect(blake.get_by_text("Joint activities here are paused for now.")).to_be_visible()
    axe_check(blake)

    assert network_log.foreign(live_server.url) == []
    assert network_log.console_errors == []
