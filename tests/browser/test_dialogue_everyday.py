"""A hard conversation's controls as a couple meets them (issue 15): closing asks first and
ends it for both, a dropped connection says "Reconnecting…" and the step written meanwhile is
sent when it is back, the break's timer stands alone, and the transcript is deleted only when
both agree. Two browsers on the ASGI server; axe checks each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from confide.dialogue.models import DialogueSession, Step
from confide.dialogue.services.sessions import dialogue_move, dialogue_start
from confide.pairs.tests.factories import make_pair
from tests.browser.conftest import AsgiLiveServer, ContextFactory
from tests.browser.support import NetworkLog, axe_check, log_in, make_member
from tests.browser.test_dialogue_live import connections

ALEX = "alex@example.org"
BLAKE = "blake@example.org"
SHARE = "I felt alone on Saturday when the plans changed."
MIRROR = "You felt alone on Saturday when the plans changed."

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators"),
]


def _two_pages(new_asgi_context: ContextFactory) -> tuple[Page, Page, DialogueSession]:
    alex_user, blake_user = make_member(ALEX, "Alex"), make_member(BLAKE, "Blake")
    pair = make_pair(alex_user, blake_user)
    session = dialogue_start(pair=pair, starter=alex_user)
    dialogue_move(session=session, author=alex_user, kind="share", text=SHARE)
    pages = []
    for email in (ALEX, BLAKE):
        page = new_asgi_context().new_page()
        log_in(page, email)
        page.goto(f"/dialogue/{pair.pk}/sessions/{session.pk}/")
        connections(page, 1)
        pages.append(page)
    return pages[0], pages[1], session


def test_closing_asks_first_then_ends_it_for_both_and_deleting_takes_both(
    new_asgi_context: ContextFactory, asgi_live_server: AsgiLiveServer, network_log: NetworkLog
) -> None:
    alex, blake, session = _two_pages(new_asgi_context)
    close = alex.get_by_role("button", name="Close the conversation")
    close.click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Close the conversation?")
    expect(alex.get_by_role("main")).to_contain_text("This ends it for both of you, Blake too")
    axe_check(alex)
    # Going back changes nothing.
    alex.get_by_role("link", name="No, go back to the conversation").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Guided conversation")
    session.refresh_from_db()
    assert not session.is_closed
    expect(blake.get_by_role("heading", name="This conversation is closed")).to_have_count(0)

    alex.get_by_role("button", name="Close the conversation").click()
    alex.get_by_role("button", name="Yes, close it for both of us").click()
    for page in (alex, blake):
        expect(page.get_by_role("heading", name="This conversation is closed")).to_be_visible()
    axe_check(alex)

    # One asks to delete the transcript; it stays until the other agrees.
    keep = alex.get_by_role("region", name="Keep or delete the transcript")
    expect(keep).to_contain_text("deleted only when you both agree")
    keep.get_by_role("button", name="Ask to delete the transcript").click()
    expect(alex.get_by_role("main")).to_contain_text("You asked to delete it.")
    expect(alex.locator("#transcript")).to_contain_text(SHARE)
    axe_check(alex)
    blake.reload()
    expect(blake.get_by_role("main")).to_contain_text("Alex asked to delete it.")
    expect(blake.locator("#transcript")).to_contain_text(SHARE)
    axe_check(blake)
    blake.get_by_role("button", name="Agree: delete it for both of us").click()
    expect(blake.get_by_text("The transcript is deleted, for both of you.")).to_be_visible()
    alex.reload()
    for page in (alex, blake):
        expect(page.get_by_role("main")).to_contain_text(
            "The transcript of this conversation was deleted."
        )
        expect(page.get_by_role("main")).not_to_contain_text(SHARE)
    assert not Step.objects.filter(session=session).exists()
    assert network_log.foreign(asgi_live_server.url) == []


def test_offline_says_reconnecting_and_sends_the_step_when_back(
    new_asgi_context: ContextFactory, asgi_live_server: AsgiLiveServer, network_log: NetworkLog
) -> None:
    alex, blake, session = _two_pages(new_asgi_context)
    live = blake.get_by_role("status").filter(has_text="Live: new steps appear as they happen.")
    expect(live).to_be_visible()
    blake.context.set_offline(True)
    expect(blake.get_by_role("status")).to_have_text("Reconnecting… your step will be sent.")
    blake.get_by_label("Your words").fill(MIRROR)
    blake.get_by_role("button", name="Send my mirror", exact=True).click()
    expect(blake.get_by_role("status")).to_have_text("Reconnecting… your step will be sent.")
    axe_check(blake)
    blake.context.set_offline(False)
    for page in (alex, blake):
        expect(page.locator("#transcript")).to_contain_text(MIRROR)
    expect(blake.get_by_role("status")).to_have_text("Live: new steps appear as they happen.")
    assert Step.objects.filter(session=session, kind="mirror").count() == 1

    # A break: the script counts down; no "reload" advice beside the timer.
    alex.get_by_role("button", name="Pause: I need a break").click()
    countdown = alex.locator(".countdown")
    expect(countdown).to_contain_text("Time left: 1")
    expect(alex.get_by_role("main")).not_to_contain_text("Reload to see the time left")
    axe_check(alex)
    assert network_log.foreign(asgi_live_server.url) == []
