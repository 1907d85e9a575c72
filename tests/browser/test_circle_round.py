"""A live round in three browsers on the ASGI server: the talking piece moves along the queue
and everyone sees it at once; a dropped connection comes back to the current state."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from confide.circles.services.meetings import meeting_create
from confide.circles.tests.factories import join, make_circle, owner_of
from tests.browser.conftest import AsgiLiveServer, ContextFactory
from tests.browser.support import axe_check, enrol_facilitator, log_in, make_member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators"),
]


def connections(page: Page, count: int) -> None:
    expect(page.locator("#round")).to_have_attribute("data-connections", str(count))


def speaker_is(pages: list[Page], name: str) -> None:
    for page in pages:
        expect(page.locator("#speaker mark.holder")).to_have_text(name)


def test_a_live_round_with_three_people(
    new_asgi_context: ContextFactory, asgi_live_server: AsgiLiveServer
) -> None:
    dana_user = make_member("dana@example.org", "Dana Realname")
    circle = make_circle(dana_user)
    enrol_facilitator("dana@example.org")
    join(circle, make_member("alex@example.org", "Alex Realname"), "Harbour")
    join(circle, make_member("blake@example.org", "Blake Realname"), "Willow")
    start = (timezone.now() + timedelta(minutes=3)).astimezone(UTC)
    meeting = meeting_create(
        membership=owner_of(circle),
        title="Weekly circle",
        start_date=start.date(),
        start_time=start.time().replace(second=0, microsecond=0),
        time_zone="UTC",
        duration_minutes=60,
        rrule="",
        location="",
        agenda="",
    )
    pages = {}
    for name in ("dana", "alex", "blake"):
        pages[name] = new_asgi_context().new_page()
        log_in(pages[name], f"{name}@example.org")
    dana, alex, blake = pages["dana"], pages["alex"], pages["blake"]

    dana.goto(f"/circles/{circle.pk}/meetings/{meeting.pk}/")
    dana.get_by_role("button", name="Open a live round").click()
    expect(dana.get_by_role("heading", level=1)).to_have_text("Live round")
    round_url = dana.url
    alex.goto(round_url)
    blake.goto(round_url)
    everyone = [dana, alex, blake]
    for page in everyone:
        connections(page, 1)
        axe_check(page)

    alex.get_by_role("button", name="Join the queue to speak").click()
    speaker_is(everyone, "Harbour")
    expect(
        alex.get_by_role("button", name="I have finished: pass the talking piece")
    ).to_be_visible()
    blake.get_by_role("button", name="Join the queue to speak").click()
    for page in everyone:
        expect(page.locator("#queue")).to_have_text("Willow")
    for page in everyone:
        expect(page.locator("main")).not_to_contain_text("Realname")

    # Blake's connection drops; the page reconnects by itself to the current state.
    assert asgi_live_server.drop_websockets() == 3
    for page in everyone:
        connections(page, 2)
    alex.get_by_role("button", name="I have finished: pass the talking piece").click()
    speaker_is(everyone, "Willow")
    for page in everyone:
        expect(page.locator("#queue-empty")).to_be_visible()
    axe_check(blake)

    # The facilitator moves the piece on, then closes the round; everyone is asked to rate.
    alex.get_by_role("button", name="Join the queue to speak").click()
    for page in everyone:
        expect(page.locator("#queue")).to_have_text("Harbour")
    dana.get_by_role("button", name="Give it").click()
    speaker_is(everyone, "Harbour")
    dana.get_by_role("button", name="Close the round").click()
    for page in everyone:
        expect(page.get_by_role("link", name="Rate this meeting")).to_be_visible()
        expect(page.locator("#speaker mark")).to_have_count(0)
    axe_check(alex)
    alex.get_by_role("link", name="Rate this meeting").click()
    expect(alex.locator("main")).to_contain_text("You were there.")
    rating = alex.get_by_role("region", name="How was this meeting for you?")
    for statement in (
        "I felt heard in this meeting.",
        "It felt safe to say what was true for me.",
        "We worked on what mattered to me.",
        "I want to come back to the next meeting.",
    ):
        rating.get_by_role("group", name=statement).get_by_label("4 · mostly").check()
    axe_check(alex)
    rating.get_by_role("button", name="Send my rating").click()
    expect(alex.get_by_role("status")).to_contain_text("Your rating is counted anonymously")
    dana.goto(alex.url)
    expect(dana.locator("main")).to_contain_text("Averages appear once at least 3 people")
