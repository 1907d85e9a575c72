"""The everyday pair pages as a new couple meets them (issue 15): a calm check-in that fits a
phone screen, the coach shown first and focused, a reply that keeps the words it answered,
and a listening reply whose opening appears once. axe checks each page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from confide.pairs.models import Pair
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.tests.factories import make_pair
from tests.browser.support import NetworkLog, axe_check, log_in
from tests.browser.test_pair_journey import logged_in_page, person

ContextFactory = Callable[..., BrowserContext]
PHONE = {"width": 390, "height": 844}
LUNCH = "You missed me at lunch and I felt it all afternoon."
LATER = "Actually, the evening made up for it."
HARSH = "You never listen, you're pathetic"


def _pair() -> Pair:
    person("alex@example.org", "Alex")
    person("blake@example.org", "Blake")
    users = get_user_model().objects
    return make_pair(users.get(email="alex@example.org"), users.get(email="blake@example.org"))


def _open_checkin_form(page: Page, pair: Pair, link: str = "Check in") -> None:
    page.goto(f"/pairs/{pair.pk}/")
    page.get_by_role("region", name="Today").get_by_role("link", name=link, exact=True).click()


def test_the_checkin_form_is_calm_and_fits_a_phone_screen_before_more(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    pair = _pair()
    page = logged_in_page(new_context(viewport=PHONE), "alex@example.org")
    _open_checkin_form(page, pair)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in")
    form = page.locator("form.checkin-form")
    # Mood first, then the few common words; the rest wait behind "More feelings".
    first = form.get_by_role("group").first
    expect(first).to_have_accessible_name("How are you, overall?")
    feelings = page.get_by_role("group", name="Feelings (choose any that fit)")
    expect(feelings.get_by_role("checkbox", name="tired", exact=True)).to_be_visible()
    expect(feelings.get_by_role("checkbox", name="tender", exact=True)).to_be_hidden()
    assert page.get_by_role("checkbox").filter(visible=True).count() <= 16
    # The whole form, from its heading to the save button, fits one phone screen.
    top = page.get_by_role("heading", level=1).bounding_box()
    save = page.get_by_role("button", name="Save my check-in").bounding_box()
    assert top is not None and save is not None
    assert save["y"] + save["height"] - top["y"] <= PHONE["height"], (top, save)
    axe_check(page)
    # "More" opens the rest, grouped; a word chosen there is saved like any other.
    feelings.get_by_text("More feelings").click()
    expect(page.get_by_role("group", name="Warm and close")).to_be_visible()
    feelings.get_by_role("checkbox", name="tender", exact=True).check()
    page.get_by_role("group", name="How are you, overall?").get_by_label("4 · good").check()
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_role("region", name="Today")).to_contain_text("Feeling: tender")
    # Changing it later: the chosen word is shown, its "more" list open.
    _open_checkin_form(page, pair, "Change today's check-in")
    expect(feelings.get_by_role("checkbox", name="tender", exact=True)).to_be_checked()
    axe_check(page)
    assert network_log.foreign(live_server.url) == []


def test_the_coach_comes_first_is_focused_and_builds_on_the_words_written_now(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    pair = _pair()
    page = logged_in_page(new_context(viewport=PHONE), "alex@example.org")
    _open_checkin_form(page, pair)
    feelings = page.get_by_role("group", name="Feelings (choose any that fit)")
    feelings.get_by_text("More feelings").click()
    feelings.get_by_role("checkbox", name="hopeful", exact=True).check()
    page.get_by_role("group", name="How are you, overall?").get_by_label("4 · good").check()
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()

    # Later the same day, in anger: the earlier tick is still there; a painful one is added.
    _open_checkin_form(page, pair, "Change today's check-in")
    feelings.get_by_role("checkbox", name="hurt", exact=True).check()
    page.get_by_label("Anything you want to add (optional)").fill(HARSH)
    page.get_by_role("button", name="Save my check-in").click()
    coach = page.get_by_role("alert").filter(has_text="Before you send")
    expect(coach).to_be_visible()
    expect(coach).to_be_focused()
    expect(coach).to_be_in_viewport()
    rewrite = coach.locator(".rewrite")
    expect(rewrite).to_contain_text("I feel hurt about when you don't listen")
    expect(rewrite).not_to_contain_text("hopeful")
    expect(rewrite).not_to_contain_text("pathetic")
    axe_check(page)
    coach.get_by_role("button", name="Send as it is").click()
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()
    assert network_log.foreign(live_server.url) == []


def test_a_reply_keeps_the_words_it_answered_and_its_opening_appears_once(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    pair = _pair()
    users = get_user_model().objects
    checkin = checkin_submit(
        pair=pair,
        author=users.get(email="alex@example.org"),
        mood=2,
        feelings=["lonely"],
        needs=["closeness"],
        note=LUNCH,
        visibility="shared",
    )
    blake = logged_in_page(new_context(), "blake@example.org")
    blake.goto(f"/pairs/{pair.pk}/checkins/{checkin.pk}/")
    reply_form = blake.locator("form.reply-form")
    reply_form.get_by_label("What I hear is…").check()
    # The label sits above its box, and the box is as wide as its card.
    words = blake.get_by_label("Your words")
    label_box = reply_form.get_by_text("Your words", exact=True).bounding_box()
    words_box = words.bounding_box()
    form_box = reply_form.bounding_box()
    assert label_box and words_box and form_box
    assert label_box["y"] + label_box["height"] <= words_box["y"]
    assert words_box["width"] >= form_box["width"] - 2
    words.fill("What I hear is… that you missed me at lunch.")
    blake.get_by_role("button", name="Send my reply").click()
    replies = blake.get_by_role("region", name="Replies")
    expect(replies).to_contain_text("You: What I hear is that you missed me at lunch.")
    expect(replies).not_to_contain_text("What I hear is… What I hear is")
    expect(replies).not_to_contain_text("What I hear is… that")
    axe_check(blake)

    alex = logged_in_page(new_context(), "alex@example.org")
    _open_checkin_form(alex, pair, "Change today's check-in")
    expect(alex.get_by_text("Blake has already answered this check-in.")).to_be_visible()
    axe_check(alex)
    alex.get_by_label("Anything you want to add (optional)").fill(LATER)
    alex.get_by_role("button", name="Save my check-in").click()
    expect(alex.get_by_role("region", name="Today")).to_contain_text(LATER)

    blake.reload()
    expect(blake.get_by_role("main")).to_contain_text(LATER)
    earlier = replies.locator(".answered-earlier")
    expect(earlier).to_contain_text("Written in answer to the check-in as it was then:")
    expect(earlier).to_contain_text(LUNCH)
    axe_check(blake)
    assert network_log.foreign(live_server.url) == []


def test_without_javascript_the_coach_is_still_first_and_focused(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    pair = _pair()
    # (axe needs scripts: it checks this page in the test above, with them on.)
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "alex@example.org")
    page.goto(f"/pairs/{pair.pk}/checkin/")
    page.get_by_role("group", name="How are you, overall?").get_by_label("2 · low").check()
    page.get_by_label("Anything you want to add (optional)").fill(HARSH)
    page.get_by_role("button", name="Save my check-in").click()
    coach = page.get_by_role("alert").filter(has_text="Before you send")
    expect(coach).to_be_focused()
    expect(coach).to_be_in_viewport()
    assert network_log.foreign(live_server.url) == []


def test_a_long_unbroken_note_wraps_inside_its_card_on_a_phone(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    pair = _pair()
    alex = get_user_model().objects.get(email="alex@example.org")
    checkin_submit(
        pair=pair,
        author=alex,
        mood=3,
        feelings=[],
        needs=[],
        note="https://example.org/" + "a" * 300,
        visibility="shared",
    )
    page = logged_in_page(new_context(viewport=PHONE), "alex@example.org")
    page.goto(f"/pairs/{pair.pk}/")
    # The page never grows sideways: the note breaks inside its card.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
