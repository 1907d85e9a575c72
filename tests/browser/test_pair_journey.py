"""Two people in a pair, end to end in two real browsers, accessible at every step.

Alex and Blake each have their own browser context (their own cookies), as two people on two
devices would. Everything is done through the pages, with the names a screen reader would
announce, so the tests also check that every control has a working label.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.support import PASSWORD, NetworkLog, axe_check, pass_login_code, path_pattern

ALEX = "alex@example.org"
BLAKE = "blake@example.org"
CASEY = "casey@example.org"

ALEX_NOTE = "A long day at work; I missed our walk."
BLAKE_NOTE = "Slept badly, but the morning was kind."
BLAKE_REPLY = "that the day felt long and you missed our walk together."
ALEX_ANSWER = "The evening we got lost in the rain and laughed all the way home."
BLAKE_ANSWER = "Cooking together on Sunday mornings, slowly, with the radio on."

# What the `new_context` fixture is: a maker of fresh browser contexts on the live server.
ContextFactory = Callable[..., BrowserContext]

PAIR_PAGE = re.compile(r"^https?://[^/]+/pairs/[0-9a-f-]{36}/$")


def person(email: str, display_name: str) -> None:
    get_user_model().objects.create_user(
        email=email,
        password=PASSWORD,
        display_name=display_name,
        email_verified_at=timezone.now(),
    )


def logged_in_page(context: BrowserContext, email: str) -> Page:
    """A page in `context`, logged in through the login form by its visible labels."""
    page = context.new_page()
    page.goto("/account/login/")
    axe_check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    pass_login_code(page, email)
    expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
    return page


def main_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def pair_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="This pair").get_by_role(
        "link", name=name, exact=True
    ).click()


def status(page: Page) -> Locator:
    return page.get_by_role("status")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def pair_up(alex: Page, blake: Page) -> str:
    """Alex invites, Blake accepts; both end on the pair page. Returns its path."""
    main_nav(alex, "Pairs")
    expect(heading(alex)).to_have_text("Your pairs")
    axe_check(alex)

    alex.get_by_role("link", name="Invite someone").click()
    expect(heading(alex)).to_have_text("Invite someone to a pair")
    axe_check(alex)

    alex.get_by_role("button", name="Create the invitation").click()
    expect(heading(alex)).to_have_text("Your invitation")
    link_box = alex.get_by_label("Invitation link")
    expect(link_box).to_have_attribute("readonly", "")
    link = link_box.input_value()
    assert re.fullmatch(r"https?://[^/]+/pairs/join/[^/\s]+/", link), link
    axe_check(alex)

    blake.goto(link)
    expect(heading(blake)).to_have_text("Alex invites you to a pair")
    axe_check(blake)
    blake.get_by_role("button", name="Accept", exact=True).click()
    expect(blake).to_have_url(PAIR_PAGE)
    expect(status(blake)).to_contain_text("You are now paired.")
    expect(heading(blake)).to_have_text("You and Alex")
    axe_check(blake)
    pair_path = blake.url.removeprefix(blake.url.split("/pairs/")[0])

    # Alex finds the new pair from the list, as they would after being told.
    main_nav(alex, "Pairs")
    expect(alex.get_by_role("link", name="You and Blake")).to_be_visible()
    axe_check(alex)
    alex.get_by_role("link", name="You and Blake").click()
    expect(alex).to_have_url(path_pattern(pair_path))
    expect(heading(alex)).to_have_text("You and Blake")
    axe_check(alex)
    return pair_path


def check_in(page: Page, *, mood: str, feelings: list[str], needs: list[str], note: str) -> None:
    """Fill in today's check-in, shared with the partner, from the pair page."""
    page.get_by_role("region", name="Today").get_by_role("link", name="Check in").click()
    expect(heading(page)).to_have_text("Check in")
    page.get_by_role("group", name="How are you, overall?").get_by_role("radio", name=mood).check()
    for name, words in (("Feelings", feelings), ("Needs", needs)):
        box = page.get_by_role("group", name=re.compile(f"^{name}"))
        for word in words:
            checkbox = box.get_by_role("checkbox", name=word, exact=True)
            if not checkbox.is_visible():  # one of the rest, under "More feelings/needs"
                box.get_by_text(f"More {name.lower()}").click()
            checkbox.check()
    page.get_by_label("Anything you want to add (optional)").fill(note)
    page.get_by_role("group", name="Who can see this?").get_by_role(
        "radio", name="My partner and me"
    ).check()
    axe_check(page)  # with choices made, so the checked state is checked too
    page.get_by_role("button", name="Save my check-in").click()
    expect(page).to_have_url(PAIR_PAGE)
    expect(status(page)).to_have_text("Thank you for checking in.")


def both_check_in(alex: Page, blake: Page) -> None:
    """Both check in, shared; each sees the other's check-in on the pair page."""
    check_in(
        alex,
        mood="2 · low",
        feelings=["tender", "steady"],
        needs=["rest", "to be heard"],
        note=ALEX_NOTE,
    )
    alex_today = alex.get_by_role("region", name="Today")
    expect(alex_today).to_contain_text(ALEX_NOTE)
    expect(alex_today).to_contain_text("Feeling: steady, tender")  # in the page's order
    expect(alex_today).to_contain_text("Needing: rest, to be heard")
    expect(alex_today).to_contain_text("Blake has not shared a check-in today.")

    blake.reload()
    blake_today = blake.get_by_role("region", name="Today")
    expect(blake_today).to_contain_text(ALEX_NOTE)
    check_in(
        blake,
        mood="4 · good",
        feelings=["cheerful", "relaxed"],
        needs=["closeness", "support"],
        note=BLAKE_NOTE,
    )
    expect(blake_today).to_contain_text(BLAKE_NOTE)
    expect(blake_today).to_contain_text(ALEX_NOTE)
    axe_check(blake)  # the pair page with two check-ins

    alex.reload()
    expect(alex.get_by_role("region", name="Today")).to_contain_text(BLAKE_NOTE)


def reply_and_rate(alex: Page, blake: Page, pair_path: str) -> None:
    """Blake replies to Alex's check-in; Alex says how understood they felt."""
    blake.get_by_role("region", name="Today").get_by_role("link", name="Open and reply").click()
    expect(heading(blake)).to_have_text("Alex's check-in")
    expect(blake.get_by_role("main")).to_contain_text(ALEX_NOTE)
    axe_check(blake)
    blake.get_by_role("group", name="How do you want to answer?").get_by_role(
        "radio", name="What I hear is…"
    ).check()
    blake.get_by_label("Your words").fill(BLAKE_REPLY)
    blake.get_by_role("button", name="Send my reply").click()
    expect(status(blake)).to_have_text("Your reply is saved.")
    expect(blake.get_by_role("region", name="Replies")).to_contain_text(
        f"You: What I hear is {BLAKE_REPLY}"
    )
    # Only the author rates how understood they felt.
    expect(blake.get_by_role("group", name="How understood did you feel?")).to_have_count(0)
    axe_check(blake)

    alex.get_by_role("region", name="Today").get_by_role("link", name="Open", exact=True).click()
    expect(heading(alex)).to_have_text("Your check-in")
    expect(alex.get_by_role("region", name="Replies")).to_contain_text(
        f"Blake: What I hear is {BLAKE_REPLY}"
    )
    axe_check(alex)
    alex.get_by_role("group", name="How understood did you feel?").get_by_role(
        "radio", name="4 · mostly"
    ).check()
    alex.get_by_role("button", name="Save", exact=True).click()
    expect(status(alex)).to_have_text("Thank you. Your partner can see how understood you felt.")
    expect(alex.get_by_role("main")).to_contain_text("felt understood: 4/5")
    axe_check(alex)

    # Blake sees the rating on the pair page, and so does the weekly trend.
    blake.goto(pair_path)
    expect(blake.get_by_role("region", name="Today")).to_contain_text("felt understood: 4/5")
    expect(blake.get_by_role("table")).to_contain_text("Alex: 4.0")
    axe_check(blake)  # the pair page with the trend table


def open_prompt(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile(r"^Your open prompt"))


def answered_together(page: Page) -> Locator:
    return page.get_by_role("region", name="Answered together")


def draw_a_prompt(alex: Page, blake: Page) -> str:
    """Alex draws a prompt; both see it open. Returns the prompt's text."""
    pair_nav(alex, "Prompts")
    expect(heading(alex)).to_have_text("Conversation prompts")
    expect(answered_together(alex)).to_contain_text("Nothing yet.")
    axe_check(alex)
    alex.get_by_role("button", name="Draw", exact=True).click()
    expect(open_prompt(alex)).to_be_visible()
    prompt = open_prompt(alex).locator("p.prompt").inner_text().strip()
    assert prompt
    axe_check(alex)

    pair_nav(blake, "Prompts")
    expect(open_prompt(blake)).to_contain_text(prompt)
    return prompt


def answer_apart_then_see_together(alex: Page, blake: Page, prompt: str) -> None:
    """Alex answers first. Neither sees the other's answer until both have answered."""
    alex.get_by_label("Your answer").fill(ALEX_ANSWER)
    alex.get_by_role("button", name="Send my answer").click()
    expect(status(alex)).to_have_text("Your answer is saved.")
    expect(open_prompt(alex)).to_contain_text(f"Your answer: {ALEX_ANSWER}")
    expect(open_prompt(alex)).to_contain_text("Waiting for Blake.")
    expect(answered_together(alex)).to_contain_text("Nothing yet.")
    axe_check(alex)

    blake.reload()
    expect(open_prompt(blake)).to_contain_text(prompt)
    expect(blake.get_by_label("Your answer")).to_be_empty()
    expect(blake.get_by_role("main")).not_to_contain_text(ALEX_ANSWER)
    expect(answered_together(blake)).to_contain_text("Nothing yet.")
    axe_check(blake)
    blake.get_by_label("Your answer").fill(BLAKE_ANSWER)
    alex.reload()
    expect(open_prompt(alex)).to_contain_text("Waiting for Blake.")
    expect(alex.get_by_role("main")).not_to_contain_text(BLAKE_ANSWER)

    # Blake answers: the round is revealed to both, side by side.
    blake.get_by_role("button", name="Send my answer").click()
    expect(status(blake)).to_have_text("Your answer is saved.")
    expect(answered_together(blake).get_by_role("heading", name=prompt)).to_be_visible()
    expect(answered_together(blake)).to_contain_text(f"You: {BLAKE_ANSWER}")
    expect(answered_together(blake)).to_contain_text(f"Alex: {ALEX_ANSWER}")
    axe_check(blake)

    alex.reload()
    expect(answered_together(alex).get_by_role("heading", name=prompt)).to_be_visible()
    expect(answered_together(alex)).to_contain_text(f"You: {ALEX_ANSWER}")
    expect(answered_together(alex)).to_contain_text(f"Blake: {BLAKE_ANSWER}")
    # With the round revealed, the next prompt can be drawn.
    expect(open_prompt(alex)).to_have_count(0)
    expect(alex.get_by_role("button", name="Draw", exact=True)).to_be_visible()
    axe_check(alex)


def test_invite_accept_check_in_reply_rate_and_answer_a_prompt_together(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    person(ALEX, "Alex")
    person(BLAKE, "Blake")
    alex = logged_in_page(new_context(), ALEX)
    blake = logged_in_page(new_context(), BLAKE)
    axe_check(alex)  # the home page

    pair_path = pair_up(alex, blake)
    both_check_in(alex, blake)
    reply_and_rate(alex, blake, pair_path)
    prompt = draw_a_prompt(alex, blake)
    answer_apart_then_see_together(alex, blake, prompt)

    # The recorder saw both people's pages, so an empty "foreign" list means something.
    assert any(url.startswith(live_server.url + "/pairs/") for url in network_log.urls)
    assert network_log.foreign(live_server.url) == []
    assert network_log.console_errors == []


def test_an_outsider_with_the_pair_address_gets_not_found(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    person(ALEX, "Alex")
    person(BLAKE, "Blake")
    person(CASEY, "Casey")
    alex = logged_in_page(new_context(), ALEX)
    blake = logged_in_page(new_context(), BLAKE)
    pair_path = pair_up(alex, blake)
    check_in(alex, mood="3 · in between", feelings=["tender"], needs=["rest"], note=ALEX_NOTE)

    casey = logged_in_page(new_context(), CASEY)
    for path in (pair_path, pair_path + "history/", pair_path + "prompts/"):
        response = casey.goto(path)
        assert response is not None
        assert response.status == 404, path
        body = casey.locator("body")
        expect(body).not_to_contain_text("Alex")
        expect(body).not_to_contain_text("Blake")
        expect(body).not_to_contain_text(ALEX_NOTE)
        axe_check(casey)

    assert network_log.foreign(live_server.url) == []


def test_leaving_explains_what_happens_and_tells_the_partner(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    person(ALEX, "Alex")
    person(BLAKE, "Blake")
    alex = logged_in_page(new_context(), ALEX)
    blake = logged_in_page(new_context(), BLAKE)
    pair_path = pair_up(alex, blake)

    alex.get_by_role("link", name="Leave this pair").click()
    expect(heading(alex)).to_have_text("Leave this pair")
    main = alex.get_by_role("main")
    expect(main.get_by_role("heading", name="What happens when you leave")).to_be_visible()
    expect(main).to_contain_text("The pair ends for both of you.")
    expect(main).to_contain_text(
        "Your shared entries leave with you: your check-ins, replies and answers are no "
        "longer shown to your partner."
    )
    expect(main).to_contain_text("Blake is told, kindly, that you have left.")
    axe_check(alex)
    alex.get_by_role("button", name="Leave the pair").click()
    expect(heading(alex)).to_have_text("Your pairs")
    expect(status(alex)).to_have_text("You have left the pair. What you wrote stays with you.")
    expect(alex.get_by_role("link", name="You and Blake")).to_be_visible()
    expect(alex.get_by_text("ended", exact=True)).to_be_visible()
    axe_check(alex)

    blake.reload()  # the pair page Blake was on, now ended
    expect(blake).to_have_url(path_pattern(pair_path))
    expect(blake.get_by_role("main")).to_contain_text("This pair has ended.")
    expect(blake.get_by_role("link", name="Check in", exact=True)).to_have_count(0)
    axe_check(blake)
    # The unread count is part of the link's accessible name, not only a visual badge.
    expect(
        blake.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Notifications (1 unread)"
        )
    ).to_be_visible()
    main_nav(blake, "Notifications")
    expect(heading(blake)).to_have_text("Notifications")
    notice = blake.get_by_role("listitem").filter(has_text="Alex has left your pair.")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("What you wrote stays with you.")
    expect(notice).to_contain_text("New")
    axe_check(blake)
    notice.get_by_role("button", name=re.compile("^Alex has left your pair")).click()
    expect(blake).to_have_url(path_pattern(pair_path))
    expect(blake.get_by_role("main")).to_contain_text("This pair has ended.")

    assert network_log.foreign(live_server.url) == []
    assert network_log.console_errors == []
