"""A whole guided conversation, live between two browsers, on the ASGI server.

Alex and Blake each have their own browser. The conversation runs over the WebSocket: share,
mirror, clarify, a dropped connection while Blake is typing (the page reconnects by itself and
nothing is lost or shown twice), a pause with the breathing screen ended early by both, then
validation, empathy, a swap of roles, and the close with a reflection. axe checks each state.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from confide.dialogue.models import DialogueSession, Step
from confide.pairs.models import Pair
from confide.pairs.tests.factories import make_pair
from tests.browser.conftest import AsgiLiveServer, ContextFactory
from tests.browser.support import NetworkLog, axe_check, log_in, make_member

ALEX = "alex@example.org"
BLAKE = "blake@example.org"
SHARE = "I felt alone on Saturday when the plans changed."
MIRROR = "You felt alone on Saturday when the plans changed."
CLARIFY = "Mostly because nobody asked me."
MIRROR_AGAIN = "You felt alone, mostly because nobody asked you."
VALIDATE = "It makes sense: you had kept the day for us."
EMPATHISE = "I imagine you felt hurt and a bit invisible."
BLAKE_SHARES = "I felt rushed that morning and didn't think to ask."

# Set up the transactional database before the suite's trigger fixture, so that its teardown
# (dropping the audit log's DELETE trigger) runs before the flush.
# WhiteNoise serves static files with synchronous iterators, which Django's ASGI handler
# consumes with a warning (the file is still served whole); the suite turns warnings into
# errors, which would break the static files of this live ASGI server.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators"),
]


def connections(page: Page, count: int) -> None:
    """Wait until the page's socket has opened `count` times since the page loaded."""
    expect(page.locator("#dialogue")).to_have_attribute("data-connections", str(count))


def say(page: Page, words: str, button: str) -> None:
    """Write and send, once the page shows this step's button (its controls are current)."""
    send = page.get_by_role("button", name=button, exact=True)
    expect(send).to_be_visible()
    page.get_by_label("Your words").fill(words)
    send.click()
    expect(page.locator("#transcript")).to_contain_text(words)


def both_see(alex: Page, blake: Page, words: str) -> None:
    for page in (alex, blake):
        expect(page.locator("#transcript")).to_contain_text(words)


def start(alex: Page, blake: Page, pair: Pair) -> DialogueSession:
    """Alex starts a conversation from the pair page; both open it and go live."""
    alex.goto(f"/pairs/{pair.pk}/")
    alex.get_by_role("navigation", name="This pair").get_by_role(
        "link", name="Conversations"
    ).click()
    axe_check(alex)
    alex.get_by_role("button", name="Start a guided conversation").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Guided conversation")
    blake.goto(alex.url)
    connections(alex, 1)
    connections(blake, 1)
    expect(alex.get_by_role("heading", name="You have the floor: share one thing")).to_be_visible()
    expect(blake.get_by_text("Alex has the floor.")).to_be_visible()
    axe_check(alex)
    axe_check(blake)
    return DialogueSession.objects.get(pair=pair)


def drop_pause_and_come_back(
    alex: Page, blake: Page, blake_context: BrowserContext, server: AsgiLiveServer
) -> None:
    """Blake is typing his mirror when the network drops for both. Alex's page reconnects by
    itself and he calls a pause while Blake is still offline; then Blake comes back."""
    blake.get_by_label("Your words").fill(MIRROR_AGAIN)
    blake_context.set_offline(True)
    # Alex's socket, and Blake's unless his page already closed it on going offline.
    assert server.drop_websockets() in {1, 2}
    expect(
        blake.get_by_role("status").filter(has_text="Reconnecting… your step will be sent.")
    ).to_be_visible()
    connections(alex, 2)
    alex.get_by_role("button", name="Pause: I need a break").click()
    expect(alex.get_by_role("heading", name="A break to settle")).to_be_visible()
    expect(alex.locator(".breath-circle")).to_be_visible()
    expect(alex.locator(".countdown")).to_contain_text("Time left: 1")
    axe_check(alex)
    blake_context.set_offline(False)
    connections(blake, 2)
    expect(blake.get_by_role("heading", name="A break to settle")).to_be_visible()
    expect(blake.locator("#transcript")).to_contain_text("Alex asked for a break")
    # Ending the break early takes both; then Blake's words are still there to send.
    early = "End the break early (you both need to agree)"
    alex.get_by_role("button", name=early).click()
    expect(alex.get_by_text("You asked to end the break early.")).to_be_visible()
    expect(blake.get_by_role("heading", name="A break to settle")).to_be_visible()
    blake.get_by_role("button", name=early).click()
    expect(blake.get_by_label("Your words")).to_have_value(MIRROR_AGAIN)
    blake.get_by_role("button", name="Send my mirror", exact=True).click()
    both_see(alex, blake, MIRROR_AGAIN)


def listen_swap_and_close(alex: Page, blake: Page) -> None:
    alex.get_by_role("button", name="Yes, you got it").click()
    say(blake, VALIDATE, "Send my validation")
    say(blake, EMPATHISE, "Send my empathy")
    both_see(alex, blake, EMPATHISE)
    alex.get_by_role("button", name="I'm ready to swap roles").click()
    expect(alex.get_by_text("You are ready to swap. Waiting for your partner.")).to_be_visible()
    blake.get_by_role("button", name="I'm ready to swap roles").click()
    expect(blake.get_by_role("heading", name="You have the floor: share one thing")).to_be_visible()
    expect(alex.get_by_text("Blake has the floor.")).to_be_visible()
    say(blake, BLAKE_SHARES, "Share")
    both_see(alex, blake, BLAKE_SHARES)
    alex.get_by_role("button", name="Close the conversation").click()
    alex.get_by_role("button", name="Yes, close it for both of us").click()
    for page in (alex, blake):
        expect(page.get_by_role("heading", name="This conversation is closed")).to_be_visible()


def test_a_whole_dialogue_live_with_a_drop_a_pause_and_a_swap(
    new_asgi_context: ContextFactory, asgi_live_server: AsgiLiveServer, network_log: NetworkLog
) -> None:
    pair = make_pair(make_member(ALEX, "Alex"), make_member(BLAKE, "Blake"))
    alex_context, blake_context = new_asgi_context(), new_asgi_context()
    alex, blake = alex_context.new_page(), blake_context.new_page()
    log_in(alex, ALEX)
    log_in(blake, BLAKE)
    session = start(alex, blake, pair)
    say(alex, SHARE, "Share")
    both_see(alex, blake, SHARE)
    say(blake, MIRROR, "Send my mirror")
    both_see(alex, blake, MIRROR)
    say(alex, CLARIFY, "Clarify")
    both_see(alex, blake, CLARIFY)
    drop_pause_and_come_back(alex, blake, blake_context, asgi_live_server)
    listen_swap_and_close(alex, blake)

    # Nothing lost and nothing twice: each page shows every stored step exactly once.
    session.refresh_from_db()
    stored = list(Step.objects.filter(session=session).values_list("seq", flat=True))
    assert stored == list(range(1, session.last_seq + 1))
    for page in (alex, blake):
        expect(page.locator("#transcript li")).to_have_count(session.last_seq)
    # Blake's page reconnected by itself and was never reloaded (a reload would count from 1
    # again); Alex's came back from the close's confirmation page, as a closed conversation.
    expect(blake.locator("#dialogue")).to_have_attribute("data-connections", re.compile("[2-9]"))

    alex.get_by_label("4 · mostly").check()
    alex.get_by_role("button", name="Save my reflection").click()
    expect(alex.get_by_text("Thank you. Your reflection is saved.")).to_be_visible()
    axe_check(alex)
    assert network_log.foreign(asgi_live_server.url) == []
