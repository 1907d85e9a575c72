"""Screening on write, in a real browser: the crisis path and the private coach for harsh words."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from confide.pairs.tests.factories import make_pair
from tests.browser.support import NetworkLog, axe_check
from tests.browser.test_pair_journey import logged_in_page, person

ContextFactory = Callable[..., BrowserContext]


def _pair_page(new_context: ContextFactory) -> Page:
    person("alex@example.org", "Alex")
    person("blake@example.org", "Blake")
    users = get_user_model().objects
    alex = users.get(email="alex@example.org")
    alex.country = "GB"
    alex.save()
    pair = make_pair(alex, users.get(email="blake@example.org"))
    page = logged_in_page(new_context(), "alex@example.org")
    page.goto(f"/pairs/{pair.pk}/")
    return page


def _check_in(page: Page, note: str) -> None:
    page.get_by_role("link", name="Check in", exact=True).click()
    page.get_by_role("group", name="How are you, overall?").get_by_label("2 · low").check()
    page.get_by_label("tired", exact=True).check()
    page.get_by_label("Anything you want to add (optional)").fill(note)
    page.get_by_label("My partner and me").check()
    page.get_by_role("button", name="Save my check-in").click()


def test_crisis_words_bring_crisis_resources_first(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    page = _pair_page(new_context)
    _check_in(page, "I want to kill myself tonight.")
    expect(page.get_by_role("heading", level=1)).to_have_text("You don't have to carry this alone")
    expect(page.get_by_text("116 123").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Continue").click()
    # The check-in was saved: it is on the pair page.
    expect(page.get_by_text("I want to kill myself tonight.").first).to_be_visible()
    assert network_log.foreign(live_server.url) == []


def test_harsh_words_meet_a_private_coach_then_send_as_they_are(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    page = _pair_page(new_context)
    _check_in(page, "You never listen to me.")
    coach = page.get_by_role("note").filter(has_text="Before you send")
    expect(coach).to_be_visible()
    expect(coach).to_contain_text("I feel tired about when you don't listen to me")
    axe_check(page)
    page.get_by_role("button", name="Send as it is").click()
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()
    expect(page.get_by_text("You never listen to me.").first).to_be_visible()
    assert network_log.foreign(live_server.url) == []
