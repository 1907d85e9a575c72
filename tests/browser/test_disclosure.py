"""Words of crisis or fear written in a pair stay with the writer, on every pair write path.

Alex and Blake each have their own browser. Alex writes a check-in, a listening reply, a prompt
answer, a topic and a live dialogue turn whose words raise crisis or fear; each time Alex is
taken to support and asked what should happen to it, and Blake's pages show none of it and
Blake is told nothing. Then Alex shares one on purpose, and only then does Blake see it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from confide.accounts.models import User
from confide.dialogue.services.sessions import dialogue_start
from confide.pairs.models import Pair
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.services.prompts import prompt_draw
from tests.browser.conftest import AsgiLiveServer
from tests.browser.support import NetworkLog, axe_check
from tests.browser.test_pair_journey import logged_in_page, person

ContextFactory = Callable[..., BrowserContext]

# The live turn needs the ASGI server (WebSockets); see tests/browser/test_dialogue_live.py.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators"),
]

FEAR_NOTE = (
    "I'm scared of what Blake will do when Blake gets home tonight. "
    "Blake checks my phone and I'm afraid."
)
CRISIS_REPLY = "Everyone would be better off without me, honestly."
CRISIS_ANSWER = "I want to kill myself, and I have not told anyone."
FEAR_TOPIC = "He threatened to hurt me"
CRISIS_TURN = "I have been thinking about ending my life."


def _world() -> Pair:
    from confide.pairs.tests.factories import make_pair

    person("alex@example.org", "Alex")
    person("blake@example.org", "Blake")
    users = get_user_model().objects
    alex, blake = users.get(email="alex@example.org"), users.get(email="blake@example.org")
    pair = make_pair(alex, blake)
    checkin_submit(
        pair=pair,
        author=blake,
        mood=3,
        feelings=["tired"],
        needs=["rest"],
        note="A slow day; I missed you at lunch.",
        visibility="shared",
    )
    prompt_draw(pair=pair, user=blake, level=1)
    return pair


def _support(page: Page) -> None:
    """Alex is on the support page, told it stayed private, and asked what to do with it."""
    expect(page.get_by_role("region", name="Who sees what you wrote")).to_contain_text(
        "Blake has not seen it and has not been told anything"
    )
    axe_check(page)


def _blake_sees_nothing(blake: Page, pair: Pair, *words: str) -> None:
    for path in (
        f"/pairs/{pair.pk}/",
        f"/pairs/{pair.pk}/history/",
        f"/pairs/{pair.pk}/prompts/",
        reverse("dialogue:topics", args=[pair.pk]),
        "/notifications/",
    ):
        blake.goto(path)
        for text in words:
            expect(blake.get_by_role("main")).not_to_contain_text(text)
    blake.goto("/notifications/")
    expect(blake.get_by_role("main")).not_to_contain_text("Alex shared a check-in")
    expect(blake.get_by_role("main")).not_to_contain_text("Alex replied")
    expect(blake.get_by_role("main")).not_to_contain_text("Alex answered")


def test_every_pair_write_path_keeps_crisis_and_fear_with_the_writer(
    new_asgi_context: ContextFactory, asgi_live_server: AsgiLiveServer, network_log: NetworkLog
) -> None:
    pair = _world()
    alex = logged_in_page(new_asgi_context(), "alex@example.org")
    blake = logged_in_page(new_asgi_context(), "blake@example.org")

    # A shared check-in with words of fear: kept private, and "keep it private" comes first.
    alex.goto(f"/pairs/{pair.pk}/checkin/")
    alex.get_by_role("group", name="How are you, overall?").get_by_label("2 · low").check()
    alex.get_by_label("Anything you want to add (optional)").fill(FEAR_NOTE)
    alex.get_by_label("My partner and me").check()
    alex.get_by_role("button", name="Save my check-in").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Support for you")
    _support(alex)
    choice = alex.get_by_role("region", name="Who sees what you wrote").get_by_role("button")
    expect(choice.first).to_have_text("Keep it private")

    # A listening reply to Blake's check-in, with words of crisis.
    alex.goto(f"/pairs/{pair.pk}/")
    alex.get_by_role("region", name="Today").get_by_role("link", name="Open and reply").click()
    alex.get_by_role("group", name="How do you want to answer?").get_by_role(
        "radio", name="What I hear is…"
    ).check()
    alex.get_by_label("Your words").fill(CRISIS_REPLY)
    alex.get_by_role("button", name="Send my reply").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("You don't have to carry this alone")
    _support(alex)

    # A prompt answer with words of crisis: not counted, Blake is not told Alex answered.
    alex.goto(f"/pairs/{pair.pk}/prompts/")
    alex.get_by_label("Your answer").fill(CRISIS_ANSWER)
    alex.get_by_role("button", name="Send my answer").click()
    _support(alex)

    # A topic with words of fear.
    alex.goto(reverse("dialogue:topics", args=[pair.pk]))
    alex.get_by_role("textbox", name="Topic").fill(FEAR_TOPIC)
    alex.get_by_role("button", name="Add to our list").click()
    _support(alex)

    # A live dialogue turn with words of crisis, sent over the socket.
    session = dialogue_start(pair=pair, starter=alex_user())
    path = reverse("dialogue:session", args=[pair.pk, session.pk])
    blake.goto(path)
    alex.goto(path)
    expect(alex.locator("#dialogue")).to_have_attribute("data-connections", "1")
    expect(blake.locator("#dialogue")).to_have_attribute("data-connections", "1")
    alex.get_by_label("Your words").fill(CRISIS_TURN)
    alex.get_by_role("button", name="Share", exact=True).click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("You don't have to carry this alone")
    _support(alex)
    expect(blake.locator("#transcript")).not_to_contain_text(CRISIS_TURN)

    _blake_sees_nothing(blake, pair, FEAR_NOTE, CRISIS_REPLY, CRISIS_ANSWER, FEAR_TOPIC)
    blake.goto(path)
    expect(blake.get_by_role("main")).not_to_contain_text(CRISIS_TURN)

    # Alex chooses to share the topic; only now does Blake see it.
    alex.goto(reverse("dialogue:topics", args=[pair.pk]))
    alex.get_by_role("link", name="Decide whether to share it").click()
    alex.get_by_role("button", name="Share it with Blake").click()
    expect(alex.get_by_role("status")).to_have_text("It is shared now.")
    blake.goto(reverse("dialogue:topics", args=[pair.pk]))
    expect(blake.get_by_role("main")).to_contain_text(FEAR_TOPIC)
    assert network_log.foreign(asgi_live_server.url) == []


def alex_user() -> User:
    return User.objects.get(email="alex@example.org")
