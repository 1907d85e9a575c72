"""The rhythm of a pair in two real browsers: an appreciation and its thanks, a gesture for the
week, a bid noted with one tap, the journey, and the recovery contract kept by both partners.
axe checks every page on the way."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Locator, Page, expect

from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_create
from confide.rhythm.models import Appreciation, ContractDay, GesturePick, LapseNote
from tests.browser.support import NetworkLog, axe_check, log_in, make_member

ContextFactory = Callable[..., BrowserContext]
ALEX = "alex@example.org"
BLAKE = "blake@example.org"
WORDS = "You waited up with tea when my train was late."
INTENTION = "No drinking today; I call my sponsor if the evening gets hard."


def _pair(new_context: ContextFactory) -> tuple[Pair, Page, Page]:
    pair = pair_create(first=make_member(ALEX, "Alex"), second=make_member(BLAKE, "Blake"))
    alex, blake = new_context().new_page(), new_context().new_page()
    log_in(alex, ALEX)
    log_in(blake, BLAKE)
    return pair, alex, blake


def _status(page: Page) -> Locator:
    return page.get_by_role("status")


def _heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def _rhythm_link(page: Page, pair: Pair, name: str) -> None:
    page.goto(f"/pairs/{pair.pk}/")
    axe_check(page)
    page.get_by_role("region", name="Rhythm").get_by_role("link", name=name).click()


def _appreciate_and_thank(pair: Pair, alex: Page, blake: Page) -> None:
    """Alex notes an appreciation from the pair page's Rhythm section; Blake is told (without
    the words), reads it and thanks Alex with one tap."""
    _rhythm_link(alex, pair, "Appreciations")
    expect(_heading(alex)).to_have_text("Appreciations")
    axe_check(alex)
    alex.get_by_label("I noticed and appreciated…").fill(WORDS)
    alex.get_by_role("button", name="Save my appreciation").click()
    expect(_status(alex)).to_contain_text("Your partner will hear that you appreciated something.")
    expect(alex.get_by_role("region", name="This week")).to_contain_text(WORDS)
    axe_check(alex)

    blake.goto("/notifications/")
    expect(blake.get_by_role("main")).to_contain_text("Alex noted something they appreciated")
    expect(blake.get_by_role("main")).not_to_contain_text(WORDS)
    axe_check(blake)
    _rhythm_link(blake, pair, "Appreciations")
    week = blake.get_by_role("region", name="This week")
    expect(week).to_contain_text(WORDS)
    week.get_by_role("button", name="Thank you").click()
    expect(_status(blake)).to_have_text("Your thanks are sent.")
    expect(blake.get_by_role("button", name="Thank you")).to_have_count(0)
    axe_check(blake)
    assert Appreciation.objects.get().thanked_at is not None
    alex.reload()
    expect(alex.get_by_role("region", name="This week")).to_contain_text("Blake thanked you")


def _gesture_of_the_week(alex: Page) -> None:
    """From the home page's list for today, Alex chooses a gesture for the week and does it."""
    alex.goto("/")
    axe_check(alex)
    alex.get_by_role("link", name="Choose a small gesture for Blake this week").click()
    expect(_heading(alex)).to_have_text("A small gesture")
    axe_check(alex)
    alex.get_by_role("combobox", name="Kind").select_option("time")
    alex.get_by_role("button", name="Show these").click()
    ideas = alex.get_by_role("region", name="Ideas for this week")
    expect(ideas.get_by_text("· Time ·").first).to_be_visible()
    axe_check(alex)
    choose = ideas.get_by_role("button", name=re.compile(r"^Choose: ")).first
    chosen = (choose.get_attribute("aria-label") or "").removeprefix("Choose: ")
    choose.click()
    expect(_status(alex)).to_have_text("This is your gesture for the week.")
    this_week = alex.get_by_role("region", name="This week's gesture")
    expect(this_week).to_contain_text(chosen)
    axe_check(alex)
    this_week.get_by_role("button", name="Mark it done").click()
    expect(_status(alex)).to_have_text("Done. Thank you for the care you put into it.")
    expect(this_week).to_contain_text("You did it on")
    axe_check(alex)
    assert GesturePick.objects.get().is_done
    alex.goto("/")
    expect(alex.get_by_role("link", name=re.compile("gesture"))).to_have_count(0)


def test_appreciation_thanks_gesture_and_bid(
    new_context: ContextFactory, network_log: NetworkLog
) -> None:
    pair, alex, blake = _pair(new_context)
    _appreciate_and_thank(pair, alex, blake)
    _gesture_of_the_week(alex)

    # Blake reached out; Alex turned toward it, and notes that with one tap.
    alex.goto(f"/pairs/{pair.pk}/")
    alex.get_by_role("button", name="You reached out and I turned toward you").click()
    expect(_status(alex)).to_have_text("Noted: you turned toward Blake.")
    expect(_heading(alex)).to_have_text("You and Blake")
    _rhythm_link(blake, pair, "Bids, week by week")
    expect(_heading(blake)).to_have_text("Bids for connection")
    expect(blake.get_by_role("table")).to_contain_text("turned toward 1 bid")
    axe_check(blake)

    _rhythm_link(alex, pair, "Your journey")
    expect(_heading(alex)).to_have_text("Your journey")
    expect(alex.get_by_role("main")).to_contain_text("1 appreciation noted")
    axe_check(alex)
    assert not network_log.foreign(alex.url.split("/pairs/")[0])
    assert not network_log.console_errors


def test_the_recovery_contract_for_two_partners(
    new_context: ContextFactory, network_log: NetworkLog
) -> None:
    pair, alex, blake = _pair(new_context)
    contract = f"/pairs/{pair.pk}/rhythm/contract/"

    alex.goto(contract)
    expect(_heading(alex)).to_have_text("Recovery contract")
    axe_check(alex)
    alex.get_by_role("button", name="Opt in").click()
    expect(_status(alex)).to_have_text("You have opted in. It starts if your partner opts in too.")
    axe_check(alex)

    blake.goto(contract)
    expect(blake.get_by_role("main")).to_contain_text("Alex has opted in.")
    blake.get_by_role("button", name="Opt in").click()
    expect(_status(blake)).to_have_text("You have both opted in. The contract starts today.")
    axe_check(blake)

    alex.goto("/")
    alex.get_by_role("link", name="Today's recovery contract with Blake").click()
    alex.get_by_label("My intention for today").fill(INTENTION)
    axe_check(alex)
    alex.get_by_role("button", name="State my intention").click()
    expect(_status(alex)).to_have_text("Your intention for today is stated.")
    expect(alex.get_by_role("main")).to_contain_text("Blake can acknowledge it whenever")
    axe_check(alex)

    blake.goto("/")
    blake.get_by_role("link", name="Acknowledge Alex's intention for today").click()
    expect(blake.get_by_role("region", name="Today")).to_contain_text(INTENTION)
    blake.get_by_role("button", name="I hear your intention, and I support you today").click()
    expect(_status(blake)).to_have_text("You acknowledged their intention. Today is kept.")
    calendar = blake.get_by_role("table")
    expect(calendar.locator("td.kept")).to_have_count(1)
    expect(calendar).to_contain_text("kept")
    axe_check(blake)
    assert ContractDay.objects.get().is_kept

    # A lapse, noted privately by Alex; Blake never sees it.
    alex.goto(contract)
    alex.get_by_role("link", name="Note a lapse privately").click()
    expect(_heading(alex)).to_have_text("A lapse, noted privately")
    expect(alex.get_by_role("link", name="Support, if you would like some")).to_be_visible()
    axe_check(alex)
    alex.get_by_label("What happened, and what might help next time (optional)").fill(
        "A glass of wine at dinner. Talked to my sponsor."
    )
    alex.get_by_role("button", name="Keep this note").click()
    expect(_status(alex)).to_have_text("Noted, privately. Only you can see it.")
    expect(alex.get_by_role("region", name="Your private notes")).to_contain_text("sponsor")
    axe_check(alex)
    assert LapseNote.objects.count() == 1
    blake.goto(f"/pairs/{pair.pk}/rhythm/contract/lapse/")
    expect(blake.get_by_role("main")).not_to_contain_text("A glass of wine")
    assert not network_log.console_errors
